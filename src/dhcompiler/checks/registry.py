"""The rule registry: each rule is a small named function with a stable code."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dhcompiler.findings import Severity
from dhcompiler.load import Loc


@dataclass(frozen=True)
class Hit:
    """What a rule reports: where, and what is wrong and what to do (Vietnamese)."""

    loc: Loc
    message: str
    code: str = ""  # another code than the rule's, for a limit the rule's check ran into


RuleFunc = Callable[[Any], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. Its docstring holds a failing and a passing example."""

    code: str
    name: str
    family: str
    severity: Severity
    func: RuleFunc

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


RULES: dict[str, Rule] = {}


def _valid_code(code: str) -> bool:
    """“DH” and three digits (checked without a regular expression: rules register at import)."""
    return len(code) == 5 and code.startswith("DH") and code[2:].isdecimal() and code[2:].isascii()


def rule(code: str, name: str, family: str, severity: Severity = Severity.WARNING) -> Callable[[RuleFunc], RuleFunc]:
    """Register `func` as rule `code`; codes are stable and never reused."""

    def register(func: RuleFunc) -> RuleFunc:
        assert _valid_code(code), code
        assert code not in RULES, f"duplicate rule code {code}"
        RULES[code] = Rule(code, name, family, severity, func)
        return func

    return register
