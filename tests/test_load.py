"""Loading YAML: locations of every value, positions inside folded prose, safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhcompiler.findings import DhcError
from dhcompiler.load import load_file, load_yaml_text
from dhcompiler.resolve import FOOTNOTE_REF, load_report, prose_fields

DATA = Path(__file__).resolve().parents[1] / "data"


def load(text: str):
    return load_yaml_text(text, Path("x.yaml"), "x.yaml")


def test_values_keep_their_line_and_column():
    source = load("a:\n  b: [1, 2]\n  c: >-\n    chữ\n    tiếp\n")
    assert source.data == {"a": {"b": ["1", "2"], "c": "chữ tiếp"}}
    assert (source.loc(("a", "b", 1)).line, source.loc(("a", "b", 1)).column) == (2, 10)
    assert (source.loc(("a", "c")).line, source.loc(("a", "c", "<key>")).column) == (3, 3)


def test_numbers_stay_as_written():
    """PyYAML would read 21.502 as a float; the loader keeps the drafter's text."""
    assert load("x: 21.502\ny: 17,02\nz: 2024-12-26\n").data == {"x": "21.502", "y": "17,02", "z": "2024-12-26"}


def test_offsets_inside_folded_prose_map_to_the_file():
    """Every footnote mark in the project's prose maps back to the `[^` typed in the file."""
    report = load_report(DATA)
    checked = 0
    for owner, path, text in prose_fields(report):
        for match in FOOTNOTE_REF.finditer(text):
            loc = owner.loc(*path).at(match.start())
            line = loc.source.text.split("\n")[loc.line - 1]
            assert line[loc.column - 1 :].startswith("[^" + match.group(1)[:10]), (loc.path, loc.line)
            checked += 1
    assert checked == 43  # the two others are on indicator groups


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: 1\na: 2\n", "DH002"),
        ("a: &x [1]\nb: *x\n", "DH003"),
        ("? [a]\n: 1\n", "DH004"),
        ("a: [1\n", "DH001"),
        ("---\na: 1\n---\nb: 2\n", "DH001"),
    ],
)
def test_unsafe_or_ambiguous_yaml_is_refused(text, code):
    with pytest.raises(DhcError) as caught:
        load(text)
    assert [f.code for f in caught.value.findings] == [code]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    with pytest.raises(DhcError) as caught:
        load("\n".join(lines))
    assert caught.value.findings[0].code == "DH003"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 70 + "]" * 70 + "\n",
        "a: " + "[x, " * 70 + "]" * 70 + "\n",
        "a: " + "{b: " * 70 + "}" * 70 + "\n",
        "a: " + "[\n" * 70 + "]" * 70 + "\n",
        "a: " + "!!seq [" * 70 + "]" * 70 + "\n",
        "a: " + '{"b":' * 70 + "1" + "}" * 70 + "\n",
        "- " * 70 + "x\n",
    ],
)
def test_deep_nesting_is_refused(text):
    with pytest.raises(DhcError) as caught:
        load(text)
    assert [f.code for f in caught.value.findings] == ["DH050"]


def test_footnote_marks_need_no_nesting_scan():
    """A “[” inside prose (a footnote mark) opens no collection: a long note-laden text is composed once."""
    from dhcompiler.load import _may_nest_deeply

    assert not _may_nest_deeply("a: >-\n  " + "năm 2020[^a-1], tăng 5%[^b] " * 200 + "\n")
    assert _may_nest_deeply("a: " + "[" * 70)


@pytest.mark.parametrize("text", ["", "a", "  a", "- - x\n  b", "a\n\n\t- \n", "\n", "x\n    \n  y", " \n-"])
def test_deepest_indent_is_the_longest_line_start(text):
    from dhcompiler.load import _deepest_indent

    starts = [len(line) - len(line.lstrip(" \t-")) for line in text.split("\n")]
    assert _deepest_indent(text) == max(starts)


def test_decomposed_text_is_read_as_nfc():
    assert load("a: quye\u0302\u0301t\n").data == {"a": "quyết"}


def test_file_that_is_not_utf8_is_located(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes("a: đúng\nb: ".encode() + "sai".encode("utf-16"))
    with pytest.raises(DhcError) as caught:
        load_file(path, tmp_path)
    finding = caught.value.findings[0]
    assert (finding.code, finding.line) == ("DH005", 2)


def _value_index_by_scanning(source, span, offset):
    """The mapping as first written: rescan the value and the raw text (quadratic over findings)."""
    raw_start = span.start
    if span.style in ("|", ">"):
        raw_start = source.text.find("\n", span.start, span.end) + 1 or span.start
    elif span.style in ("'", '"'):
        raw_start += 1
    value = source.values.get(span.start, "")
    wanted = sum(1 for c in value[:offset] if not c.isspace())
    seen = 0
    for i in range(raw_start, span.end):
        if not source.text[i].isspace():
            if seen == wanted:
                return i
            seen += 1
    return span.end


@settings(max_examples=60, deadline=None, derandomize=True)  # the same examples on every run and machine
@given(
    words=st.lists(st.text(alphabet="ab ờ\t", min_size=1, max_size=6), min_size=1, max_size=12),
    style=st.sampled_from(["plain", "folded", "literal", "double"]),
)
def test_offsets_map_like_a_full_rescan(words, style):
    value = " ".join(w.strip() or "x" for w in words)
    body = {
        "plain": f"text: {value}\n",
        "folded": "text: >-\n  " + value.replace("\t", " ") + "\n",
        "literal": "text: |-\n  " + value.replace("\t", " ") + "\n",
        "double": 'text: "' + value.replace("\t", " ") + '"\n',
    }[style]
    source = load_yaml_text(body, Path("x.yaml"), "x.yaml")
    span = source.locs[("text",)].span
    for offset in range(1, len(source.data["text"]) + 2):
        assert source.value_index(span, offset) == _value_index_by_scanning(source, span, offset)


def test_every_node_knows_its_file_and_data_path():
    """attach_locations reaches every node, however deep (an included file's root starts again at ())."""
    from dhcompiler.model import Node

    report = load_report(DATA)
    seen = 0

    def visit(value, source, path):
        nonlocal seen
        if isinstance(value, Node):
            if value.source is not source:
                source, path = value.source, ()
            assert value._path == path
            seen += 1
            for name, info in type(value).model_fields.items():
                visit(getattr(value, name), source, (*path, info.alias or name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                visit(item, source, (*path, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, source, (*path, key))

    for root in (report.meta, report.indicators, *report.body):
        visit(root, root.source, ())
    assert seen > 300


def test_reference_patterns_match_as_with_a_leading_word_boundary():
    """INDICATOR_REF and FIGURE_REF check the boundary behind their literal; the matches are those of `\\b…`."""
    import random
    import re

    from dhcompiler.resolve import FIGURE_REF, INDICATOR_REF

    plain_ind = re.compile(r"\bind\.([A-Za-z_][A-Za-z0-9_]*)")
    plain_fig = re.compile(r"\bfig\.([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?")
    rng = random.Random(7)
    pieces = ["ind.", "fig.", "ind", "fig", "a", "_", " ", "x1", ".", "ế", "đ", "1", "{{", "}}", "\n", "ịnd."]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for fast, plain in ((INDICATOR_REF, plain_ind), (FIGURE_REF, plain_fig)):
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
                (m.span(), m.groups()) for m in plain.finditer(text)
            ], text


def test_expressions_only_blanks_everything_outside_expressions():
    import random

    from dhcompiler.resolve import _EXPRESSION, _expressions_only

    def by_characters(text: str) -> str:
        kept = [" "] * len(text)
        for match in _EXPRESSION.finditer(text):
            kept[match.start() : match.end()] = match.group(0)
        return "".join(kept)

    rng = random.Random(5)
    pieces = ["{{", "}}", "a", " ", "ind.x", "\n", "ế", "{", "}"]
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        assert _expressions_only(text) == by_characters(text), text


def test_a_written_null_is_none_whichever_yaml_parser_reads_it(tmp_path):
    """libyaml marks a plain scalar with style "" where PyYAML's own parser has None: `~`,
    `null` and an empty value must be None with both, never the text "~" or "null"."""
    from dhcompiler.load import load_yaml_text

    text = 'a: ~\nb: null\nc:\nd: "~"\ne: "null"\nf: ""\n'
    loaded = load_yaml_text(text, tmp_path / "x.yaml", "x.yaml").data
    assert loaded == {"a": None, "b": None, "c": None, "d": "~", "e": "null", "f": ""}
