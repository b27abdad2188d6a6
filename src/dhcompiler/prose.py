"""Prose: render Jinja value expressions in a sandbox, then parse footnote marks and emphasis."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, UndefinedError, nodes
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from dhcompiler.findings import DhcError, Finding
from dhcompiler.load import Loc

# What one expression may build and how big it may be (codes DH051–DH053).
MAX_VALUE_CHARS = 100_000  # a string or list made by `+`, `*`, a filter or range()
MAX_INT_BITS = 4_000  # about 1,200 digits
MAX_EXPONENT = 1_000
MAX_TOKENS = 100  # names, numbers, operators and brackets in one {{ … }}
MAX_DEPTH = 16  # brackets inside one {{ … }}
MAX_EXPRESSIONS = 100  # {{ … }} in one piece of prose
MAX_GROWTH = 200_000  # characters the expressions of one text may add to it


# Revision kinds (`Change.kind`): what a tracked change did to a run or a paragraph mark.
INSERTED = "ins"
DELETED = "del"
MOVED_FROM = "move_from"
MOVED_TO = "move_to"


@dataclass(frozen=True)
class Change:
    """A tracked revision: inserted, deleted, or moved away from / to here.

    `move` names the move, pairing its `move_from` with its `move_to` (“move3”).
    """

    kind: str
    move: str = ""

    @property
    def removes(self) -> bool:
        """True for what Accept drops and Reject keeps (a deletion, the old place of a move)."""
        return self.kind in (DELETED, MOVED_FROM)


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting, or a footnote reference (its number).

    `change` marks it as a tracked revision (a redline); None for plain text.
    """

    text: str
    bold: bool = False
    italic: bool = False
    footnote: int | None = None
    strike: bool = False
    change: Change | None = None


@dataclass(frozen=True, eq=False)
class Record:
    """A small frozen value prose may print (`{{ r }}` is its text) and look into (`{{ r.field }}`).

    It holds plain data only and touches nothing: a record without text cannot be printed
    and says why (`reason`).
    """

    text: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str = "hãy chọn một trường của giá trị này"

    def __str__(self) -> str:
        if self.text is None:
            raise ValueError(self.reason)
        return self.text


PLAIN_SCALARS = (str, int, Decimal, bool, type(None))


class ExpressionLimit(Exception):
    """An expression that would build too big a value or is too complex: a finding, not a crash."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _vi(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _too_big(what: str) -> ExpressionLimit:
    return ExpressionLimit("DH053", f"Biểu thức tạo ra {what} quá lớn (giới hạn {_vi(MAX_VALUE_CHARS)} phần tử)")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _too_big_number()
    return value


def _times(left: Any, right: Any) -> Any:
    for seq, count in ((left, right), (right, left)):
        size = _size(seq)
        if size is not None and isinstance(count, int) and size * max(count, 0) > MAX_VALUE_CHARS:
            raise _too_big("một chuỗi hoặc danh sách")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise _too_big_number()
    return left * right


def _too_big_number() -> ExpressionLimit:
    return ExpressionLimit("DH053", f"Biểu thức tạo ra một số quá lớn (trên {_vi(MAX_INT_BITS * 3 // 10)} chữ số)")


def _plus(left: Any, right: Any) -> Any:
    sizes = (_size(left), _size(right))
    if None not in sizes and sum(s or 0 for s in sizes) > MAX_VALUE_CHARS:
        raise _too_big("một chuỗi hoặc danh sách")
    return _check_int(left + right)


def _power(left: Any, right: Any) -> Any:
    if isinstance(right, int | Decimal | float) and abs(Decimal(right)) > MAX_EXPONENT:
        raise ExpressionLimit("DH053", f"Số mũ quá lớn (giới hạn {_vi(MAX_EXPONENT)})")
    if isinstance(left, int) and isinstance(right, int) and max(left.bit_length(), 1) * right > MAX_INT_BITS:
        raise _too_big_number()
    return left**right


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise ExpressionLimit("DH053", "Không dùng phép định dạng “%” với chuỗi trong văn bản")
    return left % right


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {"+": _plus, "*": _times, "**": _power, "%": _modulo}


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_VALUE_CHARS // 10:
        raise ExpressionLimit("DH053", f"range() quá dài (giới hạn {_vi(MAX_VALUE_CHARS // 10)} phần tử)")
    return numbers


def _capped(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose result is bounded in size like any value an expression builds."""

    def capped(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        size = _size(result)
        if size is not None and size > MAX_VALUE_CHARS:
            raise _too_big(f"một giá trị (bộ lọc “{name}”)")
        return result

    for attribute in ("jinja_pass_arg",):
        if hasattr(func, attribute):
            setattr(capped, attribute, getattr(func, attribute))
    return capped


def _safe_join(value: Any, separator: str = "") -> str:
    items = [str(item) for item in value]
    if sum(map(len, items)) + len(str(separator)) * max(len(items) - 1, 0) > MAX_VALUE_CHARS:
        raise _too_big("một chuỗi (bộ lọc “join”)")
    return str(separator).join(items)


# Built-in filters whose result is no bigger than their input; the others (format, center,
# indent, replace, wordwrap, attr, …) can build huge strings or reach attributes.
_SAFE_FILTERS = frozenset(
    {"abs", "capitalize", "count", "d", "default", "first", "int", "last", "length", "list", "lower", "map"}
    | {"max", "min", "reject", "rejectattr", "reverse", "round", "select", "selectattr", "sort", "string"}
    | {"title", "trim", "unique", "upper"}
)


class ProseSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, closed: prose reaches dict keys, list items and `Record` fields only.

    No Python attribute of any object is reachable (not even a public method), no function
    but a capped `range` may be called, and the operators that multiply sizes are bounded.
    """

    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, filters: dict[str, Callable[..., Any]]):
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self.globals.clear()
        self.globals["range"] = _capped_range
        self.filters = {name: _capped(name, FILTERS[name]) for name in _SAFE_FILTERS}
        self.filters["join"] = _safe_join
        self.filters.update({name: _capped(name, func) for name, func in filters.items()})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return False  # data is reached through keys and record fields, never Python attributes

    def is_safe_callable(self, obj: Any) -> bool:
        return obj is _capped_range

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return _BINOPS[operator](left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self._field(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, list | tuple | str) and isinstance(argument, int | slice) and not isinstance(argument, bool):
            try:
                return obj[argument]
            except (IndexError, TypeError, ValueError):
                return self.undefined(obj=obj, name=str(argument))
        if isinstance(argument, str):
            return self._field(obj, argument)
        return self.undefined(obj=obj, name=str(argument))

    def _field(self, obj: Any, name: str) -> Any:
        fields = obj.fields if isinstance(obj, Record) else obj if isinstance(obj, dict) else None
        if fields is not None and name in fields:
            return fields[name]
        return self.undefined(obj=obj, name=name)


_MARKUP = re.compile(r"\\([*\[\\])|\*\*|\*|\[\^([^\]\s[]+)\]")


_ENVS: dict[tuple[str, ...], ProseSandbox] = {}


def make_prose_env(filters: dict[str, Callable[..., Any]]) -> ProseSandbox:
    """The sandbox in which prose expressions run: no undefined names, no side effects.

    One environment per set of filters, shared by the check and the layout of one run.
    """
    key = tuple(sorted(filters))
    if key not in _ENVS:
        _ENVS[key] = ProseSandbox(filters)
    return _ENVS[key]


# `{{ name.attr.attr }}` or `{{ name.attr | filter }}`: most prose expressions, evaluated
# without compiling a template (compiling costs milliseconds each).
_SIMPLE = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\|\s*([A-Za-z_]\w*)\s*)?\}\}")
_COMPILED: dict[tuple[int, str], Any] = {}


def _simple_value(env: ProseSandbox, match: re.Match[str], context: dict[str, Any]) -> str:
    """The value of a simple expression through the sandbox's own attribute access."""
    first, *attributes = match.group(1).split(".")
    value = context[first]
    for attribute in attributes:
        value = env.getattr(value, attribute)
        if isinstance(value, Undefined):
            raise LookupError(attribute)
    if match.group(2):
        value = env.filters[match.group(2)](value)
    return str(value)


def _render_simple(env: ProseSandbox, text: str, context: dict[str, Any]) -> str | None:
    if text.count("{{") != len(_SIMPLE.findall(text)):
        return None
    try:
        return _SIMPLE.sub(lambda m: _simple_value(env, m, context), text)
    except Exception:  # any doubt: the full template path reports it precisely
        return None


# One token of an expression, enough to count tokens and brackets (strings are skipped whole).
_TOKEN = re.compile(r"""\s+|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|\}\}|\w+|\*\*|//|[=!<>]=|.""", re.S)


def _limit(loc: Loc, offset: int, code: str, message: str) -> DhcError:
    at = loc.at(offset)
    return DhcError([Finding(at.path, at.line, at.column, code, message + ".")])


def check_expression_shape(text: str, loc: Loc) -> None:
    """Refuse statements and comments, and expressions too long or too deeply nested.

    One pass over the text: `{%` or `{#` outside an expression is a statement or a comment
    (inside a string literal, as in `{{ "{%" }}`, it is text); each `{{ … }}` is measured.
    """
    position = count = 0
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            return
        count += 1
        if count > MAX_EXPRESSIONS:
            message = (
                f"Một đoạn văn có quá {MAX_EXPRESSIONS} biểu thức {{{{ … }}}}; hãy tách đoạn hoặc viết số trực tiếp"
            )
            raise _limit(loc, opening.start(), "DH052", message)
        if opening.group(0) != "{{":
            raise _limit(
                loc,
                opening.start(),
                "DH051",
                "Văn bản chỉ được dùng biểu thức {{ … }}, không dùng lệnh {% … %} hay chú thích {# … #} của Jinja",
            )
        tokens, depth, position = _measure(text, opening.end())
        if tokens > MAX_TOKENS or depth > MAX_DEPTH:
            raise _limit(
                loc,
                opening.start(),
                "DH052",
                f"Biểu thức quá phức tạp (quá {MAX_TOKENS} thành phần hoặc quá {MAX_DEPTH} lớp ngoặc); "
                "hãy viết đơn giản như {{ ind.<khóa>.result }}",
            )


_OPENING = re.compile(r"\{[{%#]")


def _measure(text: str, position: int) -> tuple[int, int, int]:
    """Tokens, deepest bracket nesting and end of the expression starting at `position`."""
    tokens = depth = deepest = 0
    while position < len(text) and tokens <= MAX_TOKENS and deepest <= MAX_DEPTH:
        match = _TOKEN.match(text, position)
        if match is None:
            break
        token, position = match.group(0), match.end()
        if token == "}}" and depth <= 0:
            break
        if token.isspace():
            continue
        tokens += 1
        if token in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in ")]}" or token == "}}":
            depth -= 2 if token == "}}" else 1
    return tokens, deepest, position


def _check_names(env: ProseSandbox, tree: nodes.Template, context: dict[str, Any], text: str, loc: Loc) -> None:
    """Only the names of the context (and range) exist: not even Jinja's own `self`."""
    for name in tree.find_all(nodes.Name):
        if name.name not in context and name.name not in env.globals:
            raise DhcError(
                [
                    _finding(
                        loc.at(_find_expression(text, name.name)),
                        f"Biểu thức dẫn tới giá trị không tồn tại: tên “{name.name}” chưa được định nghĩa.",
                    )
                ]
            )


def _check_constants(tree: nodes.Template, text: str, loc: Loc) -> None:
    """A number literal too large for a float (`1E400`) reads as infinity, which Jinja cannot
    write back into the code it compiles: refuse it, at its expression."""
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, float) and not math.isfinite(const.value):
            message = "Số trong biểu thức quá lớn (vượt giới hạn của phép tính); hãy viết số trực tiếp"
            raise _limit(loc, _find_literal(text), "DH052", message)


_HUGE_LITERAL = re.compile(r"\d[\d_]*(?:\.[\d_]*)?[eE][+]?\d{3,}")


def _find_literal(text: str) -> int:
    """The start of the expression holding the first huge exponent literal."""
    found = _HUGE_LITERAL.search(text)
    if found is None:
        return max(text.find("{{"), 0)
    return max(text.rfind("{{", 0, found.start()), 0)


def _compiled(env: ProseSandbox, text: str, context: dict[str, Any], loc: Loc) -> Any:
    key = (id(env), text)
    if key not in _COMPILED:
        tree = env.parse(text)
        _check_names(env, tree, context, text, loc)
        _check_constants(tree, text, loc)
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        _COMPILED[key] = env.from_string(tree)
    return _COMPILED[key]


def render_expressions(env: ProseSandbox, text: str, context: dict[str, Any], loc: Loc) -> str:
    """Evaluate `{{ … }}` in `text`; a failure becomes a finding at the offending expression."""
    if "{" not in text:
        return text
    check_expression_shape(text, loc)
    simple = _render_simple(env, text, context)
    if simple is not None:
        return simple
    try:
        rendered: str = _compiled(env, text, context, loc).render(context)
    except TemplateSyntaxError as exc:
        message = f"Lỗi cú pháp biểu thức: {_vi_syntax(exc)}."
        raise DhcError([_finding(loc.at(_failing(env, text, context, loc)), message)]) from None
    except UndefinedError as exc:
        name = _undefined_name(str(exc.message))
        at = _find_expression(text, name)
        raise DhcError(
            [_finding(loc.at(at), f"Biểu thức dẫn tới giá trị không tồn tại: {_vi_undefined(exc)}.")]
        ) from None
    except ExpressionLimit as exc:
        raise _limit(loc, _failing(env, text, context, loc), exc.code, exc.message) from None
    except (RecursionError, SyntaxError, MemoryError, OverflowError):
        raise _limit(loc, _failing(env, text, context, loc), "DH052", "Biểu thức quá phức tạp để tính") from None
    except SecurityError:
        message = "Văn bản không được gọi hàm hay phương thức."
        raise DhcError([_finding(loc.at(_failing(env, text, context, loc)), message)]) from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, LookupError, NameError) as exc:
        message = f"Không tính được biểu thức: {exc}."
        raise DhcError([_finding(loc.at(_failing(env, text, context, loc)), message)]) from None
    if len(rendered) > len(text) + MAX_GROWTH:
        message = f"Biểu thức tạo ra văn bản quá dài (thêm quá {_vi(MAX_GROWTH)} ký tự)"
        raise _limit(loc, text.find("{{"), "DH053", message)
    return rendered


def _failing(env: ProseSandbox, text: str, context: dict[str, Any], loc: Loc) -> int:
    """The offset of the first expression of `text` that fails on its own (the first one if none)."""
    for match in _EXPRESSION.finditer(text):
        try:
            _compiled(env, match.group(0), context, loc).render(context)
        except Exception:  # whatever it is, this is the expression to point at
            return match.start()
    return max(text.find("{{"), 0)


_EXPRESSION = re.compile(r"\{\{(?:(?!\{\{|\}\}).)*\}\}", re.S)


def _finding(loc: Loc, message: str) -> Finding:
    return Finding(loc.path, loc.line, loc.column, "DH030", message)


def _vi_syntax(exc: TemplateSyntaxError) -> str:
    message = str(exc.message or "").rstrip(".")
    unknown = re.match(r"No (filter|test) named '(.+)'", message)
    if unknown:
        kind = "bộ lọc" if unknown.group(1) == "filter" else "phép thử"
        return f"không có {kind} “{unknown.group(2)}” trong văn bản"
    return message


def _undefined_name(message: str) -> str:
    quoted = re.findall(r"'([^']+)'", message)
    return quoted[-1] if quoted else ""


def _find_expression(text: str, name: str) -> int:
    for match in _EXPRESSION.finditer(text):
        if name and name in match.group(0):
            return match.start()
    return max(text.find("{{"), 0)


def _vi_undefined(exc: UndefinedError) -> str:
    message = str(exc.message)
    match = re.match(r"'(.+)' has no attribute '(.+)'", message)
    if match:
        return f"không có “{match.group(2)}”"
    match = re.match(r"'(.+)' is undefined", message)
    if match:
        return f"tên “{match.group(1)}” chưa được định nghĩa"
    return message


def parse_inline(text: str, loc: Loc, footnote_number: Callable[[str], int]) -> list[Run]:
    """Split prose into runs: **bold**, *italic*, [^key] footnote marks; `\\*` escapes a star."""
    runs: list[Run] = []
    bold = italic = False
    buffer: list[str] = []
    opened: dict[str, int] = {}

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), bold, italic))
            buffer.clear()

    position = 0
    for match in _MARKUP.finditer(text):
        buffer.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if match.group(1):
            buffer.append(match.group(1))
        elif match.group(2):
            flush()
            runs.append(Run("", bold, italic, footnote_number(match.group(2))))
        elif token == "**":
            flush()
            bold = not bold
            opened["**"] = match.start()
        else:
            flush()
            italic = not italic
            opened["*"] = match.start()
    buffer.append(text[position:])
    flush()
    if bold or italic:
        mark = "**" if bold else "*"
        at = loc.at(opened[mark])
        raise DhcError(
            [
                Finding(
                    at.path,
                    at.line,
                    at.column,
                    "DH031",
                    f"Dấu “{mark}” mở chữ {'đậm' if bold else 'nghiêng'} mà không đóng; "
                    "viết “\\*” nếu muốn một dấu sao thật.",
                )
            ]
        )
    return runs


def balance_emphasis(text: str) -> str:
    """`text` unchanged when its `*` and `**` pair up; else with every star escaped (`\\*`),
    so that an imported paragraph never opens emphasis it does not close."""
    marks = [m.group(0) for m in _MARKUP.finditer(text) if not m.group(1) and not m.group(2)]
    if marks.count("*") % 2 == 0 and marks.count("**") % 2 == 0:
        return text
    return _MARKUP.sub(lambda m: m.group(0) if m.group(1) or m.group(2) else "\\*" * len(m.group(0)), text)


def plain_text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)
