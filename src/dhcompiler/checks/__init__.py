"""`dhc check`: run every registered rule over a loaded report and collect findings."""

from __future__ import annotations

from dhcompiler.checks import (  # noqa: F401  (registers the rules)
    arithmetic,
    consistency,
    indicators,
    text,
)
from dhcompiler.checks.context import CheckContext
from dhcompiler.checks.registry import RULES, Hit, Rule, rule
from dhcompiler.findings import Finding
from dhcompiler.model import Report

__all__ = ["RULES", "CheckContext", "Hit", "Rule", "rule", "run_rules"]


def run_rules(report: Report, enabled: dict[str, Rule] | None = None) -> list[Finding]:
    """Every finding of every enabled rule, sorted by file and position."""
    ctx = CheckContext(report)
    findings = []
    for code, registered in (enabled or RULES).items():
        for hit in registered.func(ctx):
            loc = hit.loc
            findings.append(Finding(loc.path, loc.line, loc.column, code, hit.message, registered.severity))
    return sorted(findings)
