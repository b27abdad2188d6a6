"""Vietnamese numbers, dates and numbering words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dhcompiler.numbers import NumberSyntaxError, format_vi_date, format_vi_number, parse_vi_number
from dhcompiler.templates import count_syllables, count_word, ordinal_word, roman


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("17,02", Decimal("17.02")),
        ("21.502", Decimal("21502")),
        ("9.678", Decimal("9678")),
        ("86,080", Decimal("86.080")),
        ("0,5", Decimal("0.5")),
        ("1.391", Decimal("1391")),
        ("12", Decimal("12")),
    ],
)
def test_numbers_parse_the_vietnamese_way(text, value):
    assert parse_vi_number(text) == value


@pytest.mark.parametrize("text", ["21.50", "1.5", "1,5.3", "", "mười", "17.02%"])
def test_ambiguous_numbers_are_refused(text):
    with pytest.raises(NumberSyntaxError):
        parse_vi_number(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("17.02"), "17,02"),
        (Decimal("21502"), "21.502"),
        (Decimal("86.080"), "86,080"),
        (Decimal("1391"), "1.391"),
        (Decimal("0.51"), "0,51"),
        (Decimal("12200"), "12.200"),
    ],
)
def test_numbers_format_with_the_decimals_written(value, text):
    assert format_vi_number(value) == text
    assert parse_vi_number(text) == value


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2024, 12, 26), "ngày 26 tháng 12 năm 2024"),
        (dt.date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (dt.date(2025, 1, 17), "ngày 17 tháng 01 năm 2025"),
        (dt.date(2025, 4, 9), "ngày 09 tháng 4 năm 2025"),
    ],
)
def test_dates_take_leading_zeros_by_the_rule(date, text):
    assert format_vi_date(date) == text


def test_numbering_words():
    assert [roman(n) for n in (1, 4, 7, 9, 14)] == ["I", "IV", "VII", "IX", "XIV"]
    assert [ordinal_word(n) for n in (1, 2, 4)] == ["nhất", "hai", "tư"]
    assert [count_word(n) for n in (1, 4, 5)] == ["Một", "Bốn", "Năm"]


def test_theme_word_count_counts_syllables():
    theme = (
        "Tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh; phát huy dân chủ, "
        "đoàn kết, kỷ cương, đổi mới; bảo đảm quốc phòng, an ninh; huy động và sử dụng hiệu quả các nguồn lực, "
        "chuyển đổi số, chuyển đổi xanh; xây dựng thành phố Sông Công văn minh, bền vững"
    )
    assert count_syllables(theme) == 58


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2025-09", "ngày    tháng 9 năm 2025"),
        ("2025-02", "ngày    tháng 02 năm 2025"),
        ("2025", "ngày    tháng    năm 2025"),
    ],
)
def test_a_date_left_blank_keeps_its_blanks(value, text):
    from pydantic import TypeAdapter

    from dhcompiler.model import DocumentDate

    assert format_vi_date(TypeAdapter(DocumentDate).validate_python(value)) == text


@pytest.mark.parametrize("text", ["1" * 400, "1" * 25, "0," + "0" * 30 + "1", "1E400", "1e5", "NaN", "Infinity"])
def test_numbers_are_bounded_and_finite(text):
    with pytest.raises(NumberSyntaxError):
        parse_vi_number(text)


def test_the_largest_accepted_number_formats():
    assert format_vi_number(parse_vi_number("9" * 24)) == "999." * 7 + "999"


@pytest.mark.parametrize(
    "value", [Decimal("1" * 400), Decimal("1E400"), Decimal("1E-400"), Decimal("NaN"), Decimal("-Inf")]
)
def test_formatting_never_fails(value):
    assert format_vi_number(value)


# --- the fast path agrees with Babel --------------------------------------------------------


def test_the_vi_symbols_are_babels():
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    from dhcompiler.numbers import VI_DECIMAL, VI_GROUP

    symbols = (get_decimal_symbol("vi"), get_group_symbol("vi"), get_minus_sign_symbol("vi"))
    assert symbols == (VI_DECIMAL, VI_GROUP, "-")


def _sample_figures(count: int) -> list[str]:
    """Well-formed figures of both fast forms (ungrouped, grouped), and near misses of every kind."""
    import random

    rng = random.Random(20250101)
    out = []
    for _ in range(count):
        sign = rng.choice(["", "", "-", "+"])
        head = str(rng.randint(0, 999))
        groups = "".join("." + f"{rng.randint(0, 999):03d}" for _ in range(rng.randint(0, 5)))
        fraction = rng.choice(["", "", ",", "," + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6)))])
        out.append(sign + head + groups + fraction)
        out.append(sign + str(rng.randint(0, 10**12)) + fraction)
        out.append("".join(rng.choice("0123456789.,-+ ") for _ in range(rng.randint(1, 12))))
        out.append("".join(rng.choice("0123456789.,") for _ in range(rng.randint(1, 16))))
    return out


def test_every_figure_reads_as_babel_reads_it():
    """The same Decimal (digits and exponent) or the same error as `parse_decimal(…, "vi", strict=True)`."""
    from dhcompiler.numbers import _parse_cleaned, _parse_with_babel

    for text in [*_sample_figures(3000), "0.123", "1.23", "1.234,", ",5", "5,", "-,5", "0001", "-0", "１２"]:
        cleaned = text.strip()
        if not cleaned:
            continue
        try:
            expected: Decimal | str = _parse_with_babel(cleaned)
        except NumberSyntaxError as exc:
            expected = str(exc)
        try:
            got: Decimal | str = _parse_cleaned.__wrapped__(cleaned)
        except NumberSyntaxError as exc:
            got = str(exc)
        if isinstance(expected, Decimal) and sum(c.isdigit() for c in cleaned) <= 24:
            assert isinstance(got, Decimal) and got.as_tuple() == expected.as_tuple(), text
        elif sum(c.isdigit() for c in cleaned) <= 24:
            assert got == expected, text


def _babel_format(value: Decimal) -> str:
    from dhcompiler.numbers import _compiled_pattern, _locale

    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _compiled_pattern("#,##0" + ("." + "0" * places if places else "")).apply(value, _locale())


def test_every_figure_is_written_as_babel_writes_it():
    """The fast formatter gives Babel's text for every value it takes (and the rest goes to Babel)."""
    import random

    from dhcompiler.numbers import _format_well_formed

    rng = random.Random(20251201)
    values = [Decimal(t) for t in ["0", "0.0", "0.00", "1", "-1", "999", "1000", "-1000", "1E+3", "1.0E+5",
                                   "12345.678", "-0.5", "0.05", "100000", "1000000", "9" * 24, "-" + "9" * 24,
                                   "1E-20", "123.4500", "1.23E+10", "-12E+2"]]  # fmt: skip
    for _ in range(20000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 24)))
        value = (
            Decimal(digits).scaleb(-rng.randint(0, 8))
            if rng.random() < 0.8
            else Decimal(digits).scaleb(rng.randint(0, 3))
        )
        values.append(-value if rng.random() < 0.3 else value)
    values.extend(parse_vi_number(t) for t in _sample_figures(500) if _reads(t))
    for value in values:
        if len(value.as_tuple().digits) > 24 or (value.is_signed() and not value):
            continue
        assert _format_well_formed(value) == _babel_format(value), value
        assert format_vi_number(value) == _babel_format(value), value


def _reads(text: str) -> bool:
    try:
        parse_vi_number(text)
    except NumberSyntaxError:
        return False
    return True


def test_a_negative_zero_and_long_figures_are_left_to_babel():
    assert format_vi_number(Decimal("-0")) == _babel_format(Decimal("-0"))
    assert format_vi_number(Decimal("-0.00")) == _babel_format(Decimal("-0.00"))
    import decimal

    with decimal.localcontext() as context:
        context.prec = 40
        assert format_vi_number(Decimal("1" * 30)) == _babel_format(Decimal("1" * 30)) == "111." * 9 + "111"
