"""Vietnamese for the command-line framework's own words: usage, sections, errors.

Typer carries its own copy of Click, whose words are English. They are replaced here, in
one place, at start-up; if a future Typer moves them, the CLI falls back to English rather
than failing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WORDS = {
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Arguments": "Đối số",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "Aborted!": "Đã dừng.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
}
PHRASES = [
    ("Usage: ", "Cách dùng: "),
    ("Error: ", "Lỗi: "),
    ("Try '", "Xem '"),
    ("' for help.", "' để được hướng dẫn."),
    ("No such option: ", "Không có tùy chọn: "),
    ("(Possible options: ", "(Có phải: "),
    ("Missing argument", "Thiếu đối số"),
    ("Missing option", "Thiếu tùy chọn"),
    ("Got unexpected extra arguments", "Thừa các đối số"),
    ("Got unexpected extra argument", "Thừa đối số"),
    ("Invalid value for", "Giá trị không hợp lệ cho"),
    ("Invalid value", "Giá trị không hợp lệ"),
    ("requires an argument", "cần một giá trị"),
    ("No such command", "Không có lệnh"),
    # Typer checks option values with pydantic, whose messages come through as they are
    ("Input should be a valid integer, unable to parse string as an integer", "phải là một số nguyên"),
    ("Input should be greater than or equal to", "phải lớn hơn hoặc bằng"),
    ("Input should be a valid integer", "phải là một số nguyên"),
]


def translate(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    for english, vietnamese in PHRASES:
        text = text.replace(english, vietnamese)
    return text


def install() -> None:
    """Patch the framework's words; silently keep English if its internals have moved."""
    try:
        import typer.core as typer_core
        from typer._click import decorators, exceptions, formatting
    except ImportError:
        return
    typer_core._ = _vi_gettext
    echo = exceptions.echo
    exceptions.echo = lambda message=None, *a, **k: echo(translate(message), *a, **k)
    write_usage = formatting.HelpFormatter.write_usage

    def vi_write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Cách dùng: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = vi_write_usage  # type: ignore[method-assign]
    decorators.help_option = _vi_help_option(decorators.help_option)


def _vi_gettext(message: str) -> str:
    return WORDS.get(message, message)


def _vi_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def help_option(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        decorate = original(*args, **kwargs)

        def apply(target: Any) -> Any:
            result = decorate(target)
            params = getattr(result, "params", None) or getattr(result, "__click_params__", None)
            if params:
                params[-1].help = WORDS["Show this message and exit."]
            return result

        return apply

    return help_option
