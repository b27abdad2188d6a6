"""`dhc check` as one function: load, configure, run every rule, apply suppressions."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dhcompiler.checks import RULES, CheckContext, Hit, Rule, run_rules
from dhcompiler.checks.comments import FINAL_ERRORS as COMMENT_FINAL_ERRORS
from dhcompiler.checks.config import Settings, apply_suppressions, find_suppressions, load_settings
from dhcompiler.checks.registry import RuleFunc
from dhcompiler.findings import DhcError, Finding, Severity
from dhcompiler.model import Report


@dataclass
class CheckResult:
    """All findings of one check, and the only place where its exit code is decided."""

    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    usage_error: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def return_code(self) -> int:
        """2 on a usage error, 1 on errors (or on warnings with --strict), else 0."""
        if self.usage_error:
            return 2
        if self.count(Severity.ERROR) or (self.strict and self.count(Severity.WARNING)):
            return 1
        return 0


# What stays a warning in a draft but is an error in the final document (`dhc check --final`).
FINAL_ERRORS = {"DH312", *COMMENT_FINAL_ERRORS}


def check_data_dir(data_dir: Path, strict: bool = False, final: bool = False) -> CheckResult:
    """Check every file of a data directory; never raises for anything found in the data.

    `final`: the document is about to be issued, so what a draft may still leave open
    (FINAL_ERRORS: a choice between alternatives, a comment not yet answered) is an error.
    """
    if not data_dir.is_dir():
        return CheckResult(strict=strict, usage_error=f"Không tìm thấy thư mục dữ liệu “{data_dir}”.")
    try:
        findings = _check(data_dir)
        return CheckResult([_final(f) for f in findings] if final else findings, strict)
    except Exception as exc:  # a defect of dhc itself, reported like a finding
        return CheckResult([internal_error(str(data_dir / "document.yaml"), exc)], strict)


def _final(finding: Finding) -> Finding:
    return dataclasses.replace(finding, severity=Severity.ERROR) if finding.code in FINAL_ERRORS else finding


def _check(data_dir: Path) -> list[Finding]:
    from dhcompiler.resolve import load_report

    settings = load_settings(data_dir)
    try:
        report = load_report(data_dir)
    except DhcError as exc:
        return sorted(set(settings.findings + exc.findings))
    return sorted(settings.findings + check_report(report, settings))


def check_report(report: Report, settings: Settings) -> list[Finding]:
    """Run the enabled rules over a loaded report, then apply in-place suppressions."""
    enabled, failures = _enabled(settings)
    findings = run_rules(report, enabled, {"dictionary": settings.dictionary})
    findings.extend(failures)
    from dhcompiler.checks.documents import document_sources

    suppressions, problems = find_suppressions([*report.sources, *document_sources(report)])
    disabled = {code for code, severity in settings.severities.items() if severity is None}
    findings = apply_suppressions(findings, suppressions, disabled) + problems
    return sorted(_configured(findings, settings))


def check_for_build(report: Report, data_dir: Path) -> list[Finding]:
    """The warnings of a report about to be built; raise DhcError when there are errors."""
    settings = load_settings(data_dir)
    findings = sorted(settings.findings + check_report(report, settings))
    if any(f.severity == Severity.ERROR for f in findings):
        raise DhcError(findings)
    return findings


def _enabled(settings: Settings) -> tuple[dict[str, Rule], list[Finding]]:
    """The rules to run, at their configured severity, each guarded against its own crash."""
    failures: list[Finding] = []
    enabled: dict[str, Rule] = {}
    for code, registered in RULES.items():
        severity = settings.severity(code, registered.severity)
        if severity is not None:
            guarded = _guard(registered, failures)
            enabled[code] = Rule(registered.code, registered.name, registered.family, severity, guarded)
    return enabled, failures


MAX_HITS_PER_RULE = 500  # a rule stops reporting after this many findings (a pathological input)


def _guard(registered: Rule, failures: list[Finding]) -> RuleFunc:
    """A rule that raises keeps what it found so far and ends with a finding of its own code,
    at the last place it reached; the other rules still run."""

    def guarded(ctx: CheckContext) -> Iterator[Hit]:
        last = ctx.report.meta.loc()
        try:
            for count, hit in enumerate(registered.func(ctx), start=1):
                last = hit.loc
                yield hit
                if count >= MAX_HITS_PER_RULE:
                    message = (
                        f"Quy tắc {registered.code} đã báo {MAX_HITS_PER_RULE} chỗ; dừng báo tiếp để kết quả còn "
                        "đọc được. Hãy sửa các chỗ đã báo rồi chạy lại."
                    )
                    yield Hit(last, message)
                    return
        except Exception as exc:
            failures.append(rule_failure(last.path, last.line, last.column, exc, registered))

    return guarded


def rule_failure(path: str, line: int, column: int, exc: Exception, registered: Rule) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" tại {Path(where.filename).name}:{where.lineno}" if where else ""
    return Finding(
        path,
        line,
        column,
        registered.code,
        f"Quy tắc {registered.code} dừng giữa chừng sau chỗ này ({type(exc).__name__}{place}): đây là lỗi của dhc, "
        "các quy tắc khác vẫn được kiểm tra; hãy báo lỗi này kèm dữ liệu gây ra nó.",
        registered.severity,
    )


def internal_error(path: str, exc: Exception, code: str = "") -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" tại {Path(where.filename).name}:{where.lineno}" if where else ""
    rule_name = f" khi chạy quy tắc {code}" if code else ""
    return Finding(
        path,
        1,
        1,
        "DH599",
        f"Lỗi nội bộ của dhc{rule_name}: {type(exc).__name__}{place}; hãy báo lỗi này kèm dữ liệu gây ra nó.",
        Severity.ERROR,
    )


def _configured(findings: list[Finding], settings: Settings) -> Iterator[Finding]:
    """Findings made outside the rules (suppressions) take their configured severity too."""
    for finding in findings:
        severity = settings.severity(finding.code, finding.severity)
        if severity is finding.severity:
            yield finding
        elif severity is not None:
            yield dataclasses.replace(finding, severity=severity)
