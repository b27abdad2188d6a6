"""Property: whatever is done to the data files, `dhc check` answers with findings, never a crash.

Each case copies the project's real data files into a scratch directory, cuts the body of
document.yaml down to one section file (to keep a case fast), mutates one of the files
— types swapped, keys dropped and duplicated, numbers rewritten, references broken, text
scrambled — and runs the function behind `dhc check`.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import pickle
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from deterministic import SETTINGS
from dhcompiler.checks.run import CheckResult, check_data_dir

pytestmark = pytest.mark.slow

# Every section file but the part that includes the whole of Part I (its children are here).
SECTIONS = sorted(p.name for p in (DATA / "sections").glob("*.yaml") if p.name != "1-0-phan-thu-nhat.yaml")
FILES = {
    path.relative_to(DATA).as_posix(): path.read_text(encoding="utf-8")
    for path in sorted([*DATA.glob("*.yaml"), *(DATA / "sections").glob("*.yaml")])
}
BODY = re.compile(r"^body:\n(?:  - .*\n?)+", re.M)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
REFERENCE = re.compile(r"\[\^[^\]]+\]|\b(?:ind|fig|doc)\.[A-Za-z_][A-Za-z0-9_.]*")

# libyaml's loader and dumper when PyYAML has them: the pure-Python ones took three quarters
# of every case's time (the mutations parse and rewrite indicators.yaml, the largest file).
LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)


junk = st.lists(
    st.sampled_from([*"ab ặđ:-{}[]&*!|>'\"#%@\t\n,.09", "\u0301", "{{", "}}", "[^", "ind.", "\ue000"]), max_size=8
).map("".join)


# --- the scratch data directory ----------------------------------------------------------------


@functools.cache
def original(section: str, name: str) -> str:
    """A real file as a case starts from; document.yaml with its body cut to one section."""
    if name == "document.yaml":
        return BODY.sub(f"body:\n  - sections/{section}\n", FILES["document.yaml"])
    return FILES[name]


def draft(section: str, mutated: str | None = None, text: str | bytes = "") -> dict[str, str | bytes]:
    """The files of one case: the real ones, the body cut to one section, one file mutated."""
    files: dict[str, str | bytes] = dict(FILES)
    files["document.yaml"] = original(section, "document.yaml")
    if mutated is not None:
        files[mutated] = text
    return files


class Scratch:
    """One scratch data directory for all cases; each case rewrites only the files it changes."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dhc-property-"))
        atexit.register(shutil.rmtree, self.root, True)
        (self.root / "sections").mkdir()
        self.on_disk: dict[str, str | bytes | None] = {}

    def write(self, files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            if self.on_disk.get(name) != content:
                target = self.root / name
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, encoding="utf-8")
                self.on_disk[name] = content
        return self.root


SCRATCH = Scratch()
# What the checks answered for each draft, by digest. Different draws often make the same files
# (half of the text mutations repeat an earlier draft); the checks are deterministic, so a draft
# met again is not checked again: every distinct draft is checked once, as before.
ANSWERS: dict[bytes, CheckResult] = {}


def digest(files: dict[str, str | bytes]) -> bytes:
    """A digest of the files as they are written to disk, names included."""
    return hashlib.sha256(b"".join(file_digest(name, files[name]) for name in sorted(files))).digest()


@functools.lru_cache(maxsize=256)
def file_digest(name: str, content: str | bytes) -> bytes:
    """A digest of one file as written to disk (the unchanged files of every case hit the cache)."""
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    return hashlib.sha256(f"{name}\0{len(raw)}\0".encode() + raw).digest()


def check(files: dict[str, str | bytes]) -> CheckResult:
    key = digest(files)
    if key not in ANSWERS:
        ANSWERS[key] = check_data_dir(SCRATCH.write(files))
    return ANSWERS[key]


def assert_answered(result: CheckResult) -> None:
    """Findings or a clean exit: never an internal error, every finding well formed."""
    assert result.return_code in (0, 1)
    internal = [f.format() for f in result.findings if f.code == "DH599"]
    assert internal == []
    for finding in result.findings:
        assert re.fullmatch(r"DH\d{3}", finding.code) and finding.message and finding.path
        assert finding.line >= 1 and finding.column >= 1


# --- text mutations ----------------------------------------------------------------------------


@st.composite
def text_mutation(draw: st.DrawFn, section: str, name: str, text: str | None = None) -> str | bytes:
    text = original(section, name) if text is None else text
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    position = draw(st.integers(0, len(text)))
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "swap", "insert", "number", "reference", "truncate", "scramble", "indent", "bytes"]
        )
    )
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        return text[:position] + draw(junk) + text[position:]
    elif kind == "number":
        return _replace_nth(
            NUMBER, text, draw(st.integers(0, 200)), draw(st.from_regex(r"-?\d{1,6}([.,]\d{1,3})?", fullmatch=True))
        )
    elif kind == "reference":
        return _replace_nth(
            REFERENCE,
            text,
            draw(st.integers(0, 50)),
            draw(
                st.sampled_from(
                    ["[^khong-co]", "[^]", "ind.khong_co.result", "ind.", "fig.x.y.z", "doc.congress.", "[^a b]", "{{"]
                )
            ),
        )
    elif kind == "truncate":
        return text[:position]
    elif kind == "scramble":
        words = lines[i].split(" ")
        lines[i] = " ".join(draw(st.permutations(words)))
    elif kind == "indent":
        lines[i] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[i].lstrip()
    else:
        raw = text.encode("utf-8")
        return raw[:position] + draw(st.binary(min_size=1, max_size=4)) + raw[position:]
    return "\n".join(lines)


def _replace_nth(pattern: re.Pattern[str], text: str, n: int, new: str) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text + new
    match = matches[n % len(matches)]
    return text[: match.start()] + new + text[match.end() :]


@settings(SETTINGS, max_examples=1200)
@given(data=st.data(), section=st.sampled_from(SECTIONS))
def test_text_mutations_never_crash_check(data: st.DataObject, section: str) -> None:
    mutated = data.draw(
        st.sampled_from(["document.yaml", "indicators.yaml", f"sections/{section}", "dhc.yaml", "dictionary.yaml"])
    )
    text = data.draw(text_mutation(section, mutated))
    assert_answered(check(draft(section, mutated, text)))


# --- structural mutations ----------------------------------------------------------------------

REPLACEMENTS: list[Any] = [
    None,
    0,
    -1,
    3.5,
    True,
    "",
    "x",
    "17,02",
    "2024-13-45",
    [],
    {},
    ["a"],
    {"k": "v"},
    [[{"x": None}]],
]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_nodes(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_nodes(item, (*path, index)))
    return found


def _parent(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        value = value[key]
    return value


@functools.lru_cache(maxsize=64)
def parse(text: str) -> tuple[bytes, tuple[tuple[Any, ...], ...]]:
    """The YAML tree of `text`, every scalar a string as dhc reads them, and the path of each of its nodes.

    Each file a case starts from is parsed once for the session: the tree is kept pickled, and
    a case mutates its own unpickled copy (ten times cheaper than parsing the text again).
    """
    data = yaml.load(text, Loader=LOADER)
    return pickle.dumps(data), tuple(p for p in _nodes(data) if p)


@st.composite
def structural_mutation(draw: st.DrawFn, section: str, name: str, text: str | None = None) -> str:
    text = original(section, name) if text is None else text
    tree, paths = parse(text)
    if not paths:
        return text
    data = pickle.loads(tree)
    path = draw(st.sampled_from(paths))
    parent, key = _parent(data, path), path[-1]
    kind = draw(st.sampled_from(["drop", "swap-type", "duplicate", "rename", "nest"]))
    if kind == "drop":
        del parent[key]
    elif kind == "swap-type":
        parent[key] = draw(st.sampled_from(REPLACEMENTS))
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(key, parent[key])
    elif kind == "duplicate":
        # a duplicated key can only be written as text
        return dump(data) + dump({key: parent[key]})
    elif kind == "rename" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["tittle", "key", "kind", "sections", "x", "footnotes", "ind"]))] = parent.pop(key)
    else:
        parent[key] = [parent[key]] if draw(st.booleans()) else {"text": parent[key]}
    return dump(data)


@settings(SETTINGS, max_examples=800)
@given(data=st.data(), section=st.sampled_from(SECTIONS))
def test_structural_mutations_never_crash_check(data: st.DataObject, section: str) -> None:
    mutated = data.draw(
        st.sampled_from(["document.yaml", "indicators.yaml", f"sections/{section}", "dhc.yaml", "dictionary.yaml"])
    )
    text = data.draw(structural_mutation(section, mutated))
    assert_answered(check(draft(section, mutated, text)))


@settings(SETTINGS, max_examples=200)
@given(data=st.data(), section=st.sampled_from(SECTIONS))
def test_several_mutations_at_once_never_crash_check(data: st.DataObject, section: str) -> None:
    files = draft(section)
    for _ in range(data.draw(st.integers(2, 4))):
        name = data.draw(st.sampled_from(["indicators.yaml", f"sections/{section}"]))
        current = files[name]
        if not isinstance(current, str):
            continue
        try:
            yaml.load(current, Loader=LOADER)
            structural = data.draw(st.booleans())
        except yaml.YAMLError:
            structural = False
        mutation = structural_mutation if structural else text_mutation
        files[name] = data.draw(mutation(section, name, current))
    assert_answered(check(files))


def test_the_unmutated_cut_down_drafts_are_answered():
    for section in SECTIONS:
        assert_answered(check(draft(section)))
