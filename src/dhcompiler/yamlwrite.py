"""Write data files the way a person would: block style, long prose folded at word boundaries."""

from __future__ import annotations

import re
from typing import Any

import yaml

WIDTH = 96
_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |\s#|[\n\t]|\s$|^(true|false|yes|no|null|on|off|~)$", re.I)
# What a folded block cannot hold: characters YAML does not allow unescaped, and the line
# breaks other than "\n" (a reader would break the line there: U+2028, U+2029, NEL, CR).
_BLOCK_UNSAFE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def dump_yaml(data: Any, header: str = "") -> str:
    """Serialise `data` (dicts, lists, strings, numbers) as readable, round-trippable YAML."""
    lines: list[str] = [header.rstrip("\n")] if header else []
    _emit(data, 0, lines, in_list=False)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, out: list[str], in_list: bool) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            _emit_entry(f"{pad}{key}:", item, indent, out)
    elif isinstance(value, list):
        for item in value:
            _emit_list_item(item, indent, out)
    else:
        out.append(pad + scalar(value, indent))


def _emit_entry(prefix: str, item: Any, indent: int, out: list[str]) -> None:
    if isinstance(item, dict) and item:
        out.append(prefix)
        _emit(item, indent + 2, out, in_list=False)
    elif isinstance(item, list) and item:
        out.append(prefix)
        _emit(item, indent + 2, out, in_list=True)
    else:
        out.append(f"{prefix} {scalar(item, indent + 2)}")


def _emit_list_item(item: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(item, dict) and item:
        nested: list[str] = []
        _emit(item, indent + 2, nested, in_list=False)
        out.append(pad + "- " + nested[0][indent + 2 :])
        out.extend(nested[1:])
    elif isinstance(item, list) and item:
        nested = []
        _emit(item, indent + 2, nested, in_list=True)
        out.append(pad + "- " + nested[0][indent + 2 :])
        out.extend(nested[1:])
    else:
        out.append(pad + "- " + scalar(item, indent + 2))


def scalar(value: Any, indent: int) -> str:
    """A scalar on one line when short and plain-safe, else a folded block wrapped at spaces."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    text = str(value)
    if text == "":
        return '""'
    if len(text) + indent <= WIDTH and not _PLAIN_UNSAFE.search(text) and _reads_back(text):
        return text
    if "\n" in text or text != text.strip() or len(text) + indent <= WIDTH or _BLOCK_UNSAFE.search(text):
        return yaml.safe_dump(text, allow_unicode=True, width=10**9, default_style='"').strip()
    return _folded(text, indent)


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _folded(text: str, indent: int) -> str:
    """`>-` block: break only at a single space between two words, so folding restores it."""
    pad = " " * indent
    lines, current = [], ""
    for word in re.split(r"(?<=\S) (?=\S)", text):
        if current and len(pad) + len(current) + 1 + len(word) > WIDTH:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return ">-\n" + "\n".join(pad + line for line in lines)
