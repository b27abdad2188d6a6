"""`dhc check`: run every registered rule over a loaded report and collect findings."""

from __future__ import annotations

from typing import Any

from dhcompiler.checks import (  # noqa: F401  (registers the rules)
    arithmetic,
    comments,
    config,
    consistency,
    documents,
    indicators,
    structure,
    text,
)
from dhcompiler.checks.context import CheckContext
from dhcompiler.checks.registry import RULES, Hit, Rule, rule
from dhcompiler.findings import Finding
from dhcompiler.model import Report

__all__ = ["RULES", "CheckContext", "Hit", "Rule", "rule", "run_rules"]


def run_rules(
    report: Report, enabled: dict[str, Rule] | None = None, options: dict[str, Any] | None = None
) -> list[Finding]:
    """Every finding of every enabled rule (all rules when `enabled` is None), sorted."""
    ctx = CheckContext(report, options or {})
    findings = []
    for code, registered in (RULES if enabled is None else enabled).items():
        for hit in registered.func(ctx):
            loc = hit.loc
            findings.append(Finding(loc.path, loc.line, loc.column, hit.code or code, hit.message, registered.severity))
    return sorted(findings)
