"""Vietnamese numbers and dates: strict parsing in the `vi` locale, formatting with Babel."""

from __future__ import annotations

import decimal
import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

# Babel is imported where it is used: a well-formed figure is read and written without it.

LOCALE = "vi"
MAX_DIGITS = 24  # digits in one figure: more than any budget in đồng, well inside Decimal's precision


class NumberSyntaxError(ValueError):
    """A figure that does not read unambiguously as a Vietnamese number."""


def parse_vi_number(text: str | int | Decimal) -> Decimal:
    """Parse `17,02` or `21.502` the way the drafters write them (comma decimal, dot thousands)."""
    if isinstance(text, int | Decimal) and not isinstance(text, bool):
        if isinstance(text, int) and text.bit_length() > 4 * MAX_DIGITS:
            raise NumberSyntaxError(f"số quá giới hạn {MAX_DIGITS} chữ số")
        value = Decimal(text)
        if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS:
            raise NumberSyntaxError(f"số quá giới hạn {MAX_DIGITS} chữ số")
        return value
    if not isinstance(text, str):
        raise NumberSyntaxError("phải là một số")
    cleaned = text.strip()
    if not cleaned:
        raise NumberSyntaxError("phải là một số, không được để trống")
    return _parse_cleaned(cleaned)


# The vi locale's symbols in CLDR, as Babel gives them (get_decimal_symbol("vi"),
# get_group_symbol("vi"), get_minus_sign_symbol("vi"); tests/test_numbers.py checks them).
VI_DECIMAL = ","
VI_GROUP = "."

# A figure Babel's strict parse certainly accepts, read without Babel: plain ASCII digits with
# an optional minus and decimal part, either ungrouped or grouped by threes with no leading zero.
_PLAIN = re.compile(r"-?[0-9]+(?:,[0-9]+)?")
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")


@functools.lru_cache(maxsize=8192)  # a report writes the same figures again and again
def _parse_cleaned(cleaned: str) -> Decimal:
    digits = sum(c.isdigit() for c in cleaned)
    if digits > MAX_DIGITS:
        raise NumberSyntaxError(f"số có {digits} chữ số, quá giới hạn {MAX_DIGITS} chữ số")
    if not all(c.isdigit() or c in ".,-+ " for c in cleaned):
        raise NumberSyntaxError(
            f"“{cleaned[:40]}” không phải là một số viết đúng kiểu Việt Nam "
            "(chỉ gồm chữ số, dấu phẩy thập phân, dấu chấm ngăn hàng nghìn)."
        )
    if _PLAIN.fullmatch(cleaned) or _GROUPED.fullmatch(cleaned):
        return _well_formed(cleaned)
    return _parse_with_babel(cleaned)


def _well_formed(cleaned: str) -> Decimal:
    """The value of a figure of the two forms above, computed as Babel computes it.

    Babel stays the authority on what a vi number is: `parse_decimal(text, "vi", strict=True)`
    is `Decimal(text without group symbols, decimal symbol → ".")`, and for these forms its
    strict check (the figure formatted again must read the same) always passes, so this is its
    result without loading the locale data (~15 ms at start-up). Anything else — other digits,
    a plus sign, a misplaced group, every error — goes to Babel itself (`_parse_with_babel`).
    tests/test_numbers.py compares the two on a large sample of both forms.
    """
    return Decimal(cleaned.replace(VI_GROUP, "").replace(VI_DECIMAL, "."))


def _parse_with_babel(cleaned: str) -> Decimal:
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return parse_decimal(cleaned, locale=LOCALE, strict=True)
    except decimal.InvalidOperation:
        raise NumberSyntaxError(f"“{cleaned[:40]}” không phải là một số viết đúng kiểu Việt Nam.") from None
    except NumberFormatError as exc:
        hint = ""
        if exc.suggestions:
            hint = " Có phải là " + " hay ".join(f"“{s}”" for s in exc.suggestions) + "?"
        raise NumberSyntaxError(
            f"“{cleaned}” không phải là một số viết đúng kiểu Việt Nam "
            f"(dấu phẩy thập phân, dấu chấm ngăn hàng nghìn).{hint}"
        ) from None


def format_vi_number(value: Decimal) -> str:
    """Format with the decimals the figure was written with: 17,02; 21.502; 86,080.

    Safe on any Decimal: a value Babel cannot format in its context (very many digits, not
    finite) is formatted with enough precision, or written as Python writes it.
    """
    if not value.is_finite():
        return str(value)
    sign, digits, exponent = value.as_tuple()
    if len(digits) <= MAX_DIGITS and (value or not sign):
        return _format_well_formed(value)
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    try:
        return _compiled_pattern(pattern).apply(value, _locale())
    except (ArithmeticError, ValueError):
        pass
    from babel.numbers import format_decimal

    try:
        with decimal.localcontext() as context:
            context.prec = max(28, len(value.as_tuple().digits) + abs(int(exponent)) + 2)
            return format_decimal(value, format=pattern, locale=LOCALE)
    except (ArithmeticError, ValueError):
        return str(value)


def _format_well_formed(value: Decimal) -> str:
    """What Babel writes for a figure of at most MAX_DIGITS digits (not a negative zero), without
    loading the locale data (~15 ms at start-up): the pattern `#,##0.00…` with as many places as
    the value has is applied exactly (no rounding), integer digits grouped by threes with the vi
    group symbol, the vi decimal symbol, a minus sign. Babel stays the authority for the rest;
    tests/test_numbers.py compares the two on a large sample.
    """
    text = format(value, "f")  # exact: every digit and place of the value, never an exponent
    minus = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    head = len(whole) % 3 or 3
    grouped = VI_GROUP.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return ("-" if minus else "") + grouped + (VI_DECIMAL + fraction if fraction else "")


@functools.cache
def _compiled_pattern(pattern: str) -> NumberPattern:
    from babel.numbers import parse_pattern

    return parse_pattern(pattern)


@functools.cache
def _locale() -> Locale:
    from babel import Locale

    return Locale.parse(LOCALE)


BLANK = "  "  # a day or month left blank, written in by hand: "ngày    tháng"


def format_vi_date(date: Any) -> str:
    """ "ngày 05 tháng 02 năm 2025": a leading zero on days below 10 and on months 1 and 2.

    A date whose day (or month) is None keeps the blank: "ngày    tháng 9 năm 2025"."""
    day = BLANK if date.day is None else f"{date.day:02d}"
    month = BLANK if date.month is None else f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"ngày {day} tháng {month} năm {date.year}"


def pad_count(value: int) -> str:
    """Counts below ten are written with a leading zero in Party documents: 05, 09."""
    return f"{value:02d}"
