"""One finding type for every problem dhc reports, and the exception that aborts a stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}[self.value]


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a place in the sources: 1-based line and column, a stable code."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: [{self.severity.label}] {self.message} ({self.code})"


class DhcError(Exception):
    """Aborts a stage; carries the findings that explain why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f.format() for f in findings))
        self.findings = findings
