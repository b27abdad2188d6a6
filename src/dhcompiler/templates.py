"""The Jinja environment for the layout templates in `templates/`, and its filters."""

from __future__ import annotations

import os
import types
from collections import deque
from collections.abc import Callable, MutableMapping, MutableSequence, MutableSet
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dhcompiler.findings import DhcError, Finding
from dhcompiler.numbers import format_vi_date, pad_count

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

_ORDINALS = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"]
_COUNTS = ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười"]
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def ordinal_word(n: int) -> str:
    """1 → “nhất”, 4 → “tư”: as in “Phần thứ nhất”."""
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else str(n)


def count_word(n: int) -> str:
    """1 → “Một”, 4 → “Bốn”: as in “Một là, …”."""
    return _COUNTS[n - 1] if 1 <= n <= len(_COUNTS) else str(n)


def count_syllables(text: str) -> int:
    """“Chữ” in “(58 chữ)”: syllables separated by spaces."""
    return len(text.split())


FILTERS: dict[str, Callable[..., Any]] = {
    "roman": roman,
    "ordinal_word": ordinal_word,
    "count_word": count_word,
    "vi_date": format_vi_date,
    "pad": pad_count,
    "syllables": count_syllables,
}


def template_dir(override: Path | None = None) -> Path:
    return override if override is not None else DEFAULT_TEMPLATES


_ENVS: dict[tuple[str, tuple[tuple[str, int], ...]], ImmutableSandboxedEnvironment] = {}


def make_template_env(
    directory: Path, extra_filters: dict[str, Callable[..., Any]] | None = None
) -> ImmutableSandboxedEnvironment:
    """One sandboxed environment for the layout templates, with every filter registered here.

    Environments are kept for the process (a template is compiled once and recompiled only
    when its file changes), and compiled templates are kept across runs in `cache_dir()`.
    """
    extra = extra_filters or {}
    key = (str(directory.resolve()), tuple(sorted((name, id(func)) for name, func in extra.items())))
    env = _ENVS.get(key)
    if env is None:
        if len(_ENVS) >= 16:
            _ENVS.clear()
        env = _ENVS[key] = _new_env(directory, extra)
    return env


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with its attribute check answered once per type for dhc's own data.

    A layout template reads thousands of attributes of dhc's blocks, footnotes and metadata. For
    an instance of a class defined in dhc that is neither a function, method, class, code,
    frame, generator nor a mutable container, the sandbox's answer depends on the attribute name
    alone (no name starting with "_"); that is computed once per class here. Every other object
    gets the sandbox's own check. tests/test_sandbox.py compares the two on every attribute of
    every object the layout reads.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        plain = _PLAIN.get(type(obj))
        if plain is None:
            plain = _PLAIN[type(obj)] = _plain_data(obj)
        if plain:
            return not attr.startswith("_")
        return super().is_safe_attribute(obj, attr, value)


_PLAIN: dict[type, bool] = {}
_NOT_PLAIN = (
    types.FunctionType,
    types.MethodType,
    type,
    types.CodeType,
    types.TracebackType,
    types.FrameType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
    MutableSet,
    MutableMapping,
    MutableSequence,
    deque,
)


def _plain_data(obj: Any) -> bool:
    return type(obj).__module__.startswith("dhcompiler.") and not isinstance(obj, _NOT_PLAIN)


def _new_env(directory: Path, extra_filters: dict[str, Callable[..., Any]]) -> ImmutableSandboxedEnvironment:
    env = LayoutSandbox(
        loader=FileSystemLoader(str(directory)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(FILTERS)
    env.filters.update(extra_filters)
    return env


def cache_dir() -> Path | None:
    """Where dhc keeps what it can recompute (safe to delete): $XDG_CACHE_HOME/dhc or ~/.cache/dhc.

    None (no cache) when neither names an absolute directory, as the XDG specification asks.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dhc" if os.path.isabs(base) else None


def _bytecode_cache() -> QuietBytecodeCache | None:
    directory = cache_dir()
    return QuietBytecodeCache(directory / "jinja") if directory is not None else None


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache (checked against each template's source), made unable to fail a build.

    The directory is created on first write; an unreadable, stale or unwritable cache only
    means the template is compiled again.
    """

    def __init__(self, directory: Path):
        super().__init__(str(directory), "%s.cache")
        self.path = directory

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except Exception:
            return


class Macros:
    """The macros of one template file, called from Python; template errors become findings."""

    def __init__(self, env: ImmutableSandboxedEnvironment, name: str):
        self.name = name
        self.directory = Path(env.loader.searchpath[0])  # type: ignore[union-attr]
        try:
            self.module = env.get_template(name).module
        except TemplateSyntaxError as exc:
            raise template_error(self.directory, name, exc) from None
        except TemplateError as exc:
            raise template_error(self.directory, name, exc) from None

    def __call__(self, macro: str, *args: Any) -> str:
        try:
            return str(getattr(self.module, macro)(*args)).strip()
        except TemplateError as exc:
            raise template_error(self.directory, self.name, exc) from None


def template_error(directory: Path, name: str, exc: Exception) -> DhcError:
    line = getattr(exc, "lineno", None) or 1
    message = getattr(exc, "message", None) or str(exc)
    return DhcError([Finding(str(directory / name), line, 1, "DH032", f"Lỗi trong mẫu trình bày: {message}.")])
