"""The rule registry: each rule is a small named function with a stable code."""

from __future__ import annotations

import inspect
import re
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
_CODE = re.compile(r"^DH\d{3}$")


def rule(code: str, name: str, family: str, severity: Severity = Severity.WARNING) -> Callable[[RuleFunc], RuleFunc]:
    """Register `func` as rule `code`; codes are stable and never reused."""

    def register(func: RuleFunc) -> RuleFunc:
        assert _CODE.match(code), code
        assert code not in RULES, f"duplicate rule code {code}"
        RULES[code] = Rule(code, name, family, severity, func)
        return func

    return register
