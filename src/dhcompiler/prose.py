"""Prose: render Jinja value expressions in a sandbox, then parse footnote marks and emphasis."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dhcompiler.findings import DhcError, Finding
from dhcompiler.load import Loc


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting, or a footnote reference (its number)."""

    text: str
    bold: bool = False
    italic: bool = False
    footnote: int | None = None
    strike: bool = False


_MARKUP = re.compile(r"\\([*\[\\])|\*\*|\*|\[\^([^\]\s]+)\]")


_ENVS: dict[tuple[str, ...], ImmutableSandboxedEnvironment] = {}


def make_prose_env(filters: dict[str, Callable[..., Any]]) -> ImmutableSandboxedEnvironment:
    """The sandbox in which prose expressions run: no undefined names, no side effects.

    One environment per set of filters, shared by the check and the layout of one run.
    """
    key = tuple(sorted(filters))
    if key not in _ENVS:
        env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        env.filters.update(filters)
        _ENVS[key] = env
    return _ENVS[key]


# `{{ name.attr.attr }}` or `{{ name.attr | filter }}`: most prose expressions, evaluated
# without compiling a template (compiling costs milliseconds each).
_SIMPLE = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\|\s*([A-Za-z_]\w*)\s*)?\}\}")
_COMPILED: dict[tuple[int, str], Any] = {}


def _simple_value(env: ImmutableSandboxedEnvironment, match: re.Match[str], context: dict[str, Any]) -> str:
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


def _render_simple(env: ImmutableSandboxedEnvironment, text: str, context: dict[str, Any]) -> str | None:
    if "{%" in text or "{#" in text or text.count("{{") != len(_SIMPLE.findall(text)):
        return None
    try:
        return _SIMPLE.sub(lambda m: _simple_value(env, m, context), text)
    except Exception:  # any doubt: the full template path reports it precisely
        return None


def render_expressions(env: ImmutableSandboxedEnvironment, text: str, context: dict[str, Any], loc: Loc) -> str:
    """Evaluate `{{ … }}` in `text`; a failure becomes a finding at the offending expression."""
    if "{" not in text:
        return text
    simple = _render_simple(env, text, context)
    if simple is not None:
        return simple
    try:
        key = (id(env), text)
        if key not in _COMPILED:
            if len(_COMPILED) > 1024:
                _COMPILED.clear()
            _COMPILED[key] = env.from_string(text)
        return _COMPILED[key].render(context)
    except TemplateSyntaxError as exc:
        offset = _line_offset(text, exc.lineno)
        raise DhcError([_finding(loc.at(text.find("{", offset)), f"Lỗi cú pháp biểu thức: {exc.message}.")]) from None
    except UndefinedError as exc:
        name = _undefined_name(str(exc.message))
        at = _find_expression(text, name)
        raise DhcError(
            [_finding(loc.at(at), f"Biểu thức dẫn tới giá trị không tồn tại: {_vi_undefined(exc)}.")]
        ) from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise DhcError([_finding(loc.at(text.find("{{")), f"Không tính được biểu thức: {exc}.")]) from None


def _finding(loc: Loc, message: str) -> Finding:
    return Finding(loc.path, loc.line, loc.column, "DH030", message)


def _line_offset(text: str, lineno: int) -> int:
    offset = 0
    for _ in range(max(lineno - 1, 0)):
        offset = text.find("\n", offset) + 1
    return offset


def _undefined_name(message: str) -> str:
    quoted = re.findall(r"'([^']+)'", message)
    return quoted[-1] if quoted else ""


def _find_expression(text: str, name: str) -> int:
    for match in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text, flags=re.S):
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


def plain_text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)
