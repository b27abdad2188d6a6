"""The prose sandbox: plain data only in the context, nothing reachable beyond it, bounded values."""

from __future__ import annotations

import warnings
from decimal import Decimal
from typing import Any

import pytest

from conftest import DATA
from dhcompiler.document import PROSE_FILTERS, prose_context
from dhcompiler.findings import DhcError
from dhcompiler.model import Report
from dhcompiler.prose import PLAIN_SCALARS, Record, make_prose_env, render_expressions
from dhcompiler.resolve import load_report


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(DATA)


def _not_plain(value: Any, path: str) -> list[str]:
    """Every place under `value` that holds something else than plain data."""
    if isinstance(value, PLAIN_SCALARS):
        return []
    if isinstance(value, dict):
        bad = [f"{path}: key {key!r}" for key in value if not isinstance(key, str)]
        return bad + [p for key, item in value.items() for p in _not_plain(item, f"{path}.{key}")]
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in _not_plain(item, f"{path}[{i}]")]
    if type(value) is Record:
        fields = [name for name in vars(value) if name not in ("text", "fields", "reason")]
        return [f"{path}: record with {fields}"] * bool(fields) + _not_plain(value.fields, path)
    return [f"{path}: {type(value).__name__}"]


def test_prose_context_is_plain_data(report: Report) -> None:
    context = prose_context(report)
    assert set(context) == {"doc", "ind", "results", "fig"}
    assert _not_plain(context, "") == []
    # the record class itself exposes nothing but its text: no method of its own besides __str__
    own = {name for name, value in vars(Record).items() if callable(value) and not name.startswith("__")}
    assert own == set()


def test_the_walk_catches_an_object(report: Report) -> None:
    context = prose_context(report)
    context["doc"]["leak"] = report.meta
    assert _not_plain(context, "") == [".doc.leak: DocumentMeta"]


def _render(report: Report, text: str) -> str:
    return render_expressions(
        make_prose_env(PROSE_FILTERS), text, prose_context(report), report.meta.loc("theme", "text")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ doc.congress.term }}", "2025 - 2030"),
        ("{{ doc.congress.term.start }}", "2025"),
        ("{{ doc.congress.ordinal }}", "X"),
        ("{{ ind.tang_truong_gtsx.result }}", "17,02%/năm"),
        ("{{ ind.tang_truong_gtsx.result.number }}", "17,02"),
        ("{{ ind.tang_truong_gtsx.result.value * 2 }}", "34.04"),
        ("{{ fig.du_an_thu_hut }}", "117 dự án"),
        ("{{ fig.du_an_thu_hut.kcn1_fdi }}", "26 dự án"),
        ("{{ results.count }}", "14"),
        ("{{ results.missed | names }}", "giá trị xuất khẩu trên địa bàn"),
    ],
)
def test_data_expressions(report: Report, text: str, expected: str) -> None:
    assert _render(report, text) == expected
    assert isinstance(prose_context(report)["ind"]["tang_truong_gtsx"].fields["result"].fields["value"], Decimal)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{{ doc.source.file.read_text() }}", "DH030"),
        ("{{ ''.__class__.__mro__ }}", "DH030"),
        ("{{ cycler.__init__.__globals__ }}", "DH030"),
        ("{{ lipsum }}", "DH030"),
        ("{{ joiner() }}", "DH030"),
        ("{{ self }}", "DH030"),
        ("{{ ''|attr('__class__') }}", "DH030"),
        ("{{ '{0.__class__}'.format(1) }}", "DH030"),
        ("{{ ind.keys() }}", "DH030"),
        ("{{ doc.congress.term.__str__() }}", "DH030"),
        ("{% for i in range(9) %}x{% endfor %}", "DH051"),
        ("a {# note #} b", "DH051"),
        ("{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}", "DH052"),
        ("{{ " + "-" * 500 + "1 }}", "DH052"),
        ("{{ 'x' * 10**9 }}", "DH053"),
        ("{{ 9**(9**9) }}", "DH053"),
        ("{{ range(100000) | list | length }}", "DH053"),
        ("{{ '%0999999999d' % 1 }}", "DH053"),
        ("{{ 'x' | center(1000000000) }}", "DH030"),
        ("{{ 9**(9**1E400) }}", "DH052"),  # fuzzer, seed 5: infinity compiled as the name `inf` (NameError)
        ("{{ 1E400 }}", "DH052"),
        ("{{ -1.5e999 + 1 }}", "DH052"),
    ],
)
def test_hostile_expressions_are_refused(report: Report, text: str, code: str) -> None:
    with pytest.raises(DhcError) as caught:
        _render(report, "Mở đầu " + text)
    (finding,) = caught.value.findings
    assert finding.code == code
    assert finding.path.endswith("document.yaml") and finding.line > 1


# --- the layout sandbox's once-per-type attribute check -------------------------------------


def test_the_layout_sandbox_answers_as_jinjas_own_check(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attribute of every object the layout templates read (all four documents of the seed,
    Markdown and .docx), and every other name those objects have, private and dunder ones
    included: the once-per-type answer is the sandbox's own."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from dhcompiler.build import build_report
    from dhcompiler.templates import DEFAULT_TEMPLATES, LayoutSandbox

    seen: dict[type, Any] = {}
    fast = LayoutSandbox.is_safe_attribute

    def spy(self: LayoutSandbox, obj: Any, attr: str, value: Any) -> bool:
        seen.setdefault(type(obj), obj)
        return fast(self, obj, attr, value)

    monkeypatch.setattr(LayoutSandbox, "is_safe_attribute", spy)
    build_report(DATA, tmp_path / "out", ("md", "docx"), DEFAULT_TEMPLATES, documents=["all"])
    assert {"Block", "Footnote", "DocumentMeta", "Document"} <= {t.__name__ for t in seen}
    env = LayoutSandbox()
    warnings.simplefilter("ignore")  # reading every name of a pydantic model touches deprecated ones
    for obj in [*seen.values(), [], {}, set(), len, str, lambda: 0, (x for x in ()), Decimal(1), "text"]:
        for attr in {*dir(obj), "mro", "append", "update", "func_code", "gi_frame", "_private"}:
            value = getattr(obj, attr, None)
            expected = ImmutableSandboxedEnvironment.is_safe_attribute(env, obj, attr, value)
            assert fast(env, obj, attr, value) == expected, (type(obj).__name__, attr)


def test_a_layout_template_still_cannot_reach_python_internals(tmp_path: Any) -> None:
    from jinja2.exceptions import SecurityError

    from dhcompiler.templates import make_template_env

    (tmp_path / "t.j2").write_text("{{ b.__class__.__mro__ }}", encoding="utf-8")
    (tmp_path / "u.j2").write_text("{{ b.meta._where }}", encoding="utf-8")
    env = make_template_env(tmp_path)
    block = load_report(DATA)  # any dhc object
    with pytest.raises(SecurityError):
        env.get_template("t.j2").render(b=block)
    with pytest.raises(SecurityError):
        env.get_template("u.j2").render(b=block)
