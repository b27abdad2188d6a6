"""Texts as the diff sees them: a block's reader text, its tokens, and word operations over them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from dhcompiler.diff.changeset import DELETE, EQUAL, INSERT, PARAGRAPH_BREAK, REPLACE, WordOp
from dhcompiler.prose import Run

# A number stays whole: “21.502”, “17,02%”, “1.391”; “40,75%/năm” is “40,75%” “/” “năm”, and
# “2021 - 2025” two numbers around a dash. A word is a Vietnamese syllable; any other mark is
# one punctuation token; a run of spaces is a token too, so tokens tile the text exactly and a
# paragraph split (a space become a break) is one operation.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|\w+|\n|[^\w\s]|[^\S\n]+", re.UNICODE)


@dataclass
class Tokens:
    """The tokens of a text: their keys for comparison and where each starts (they tile the text)."""

    keys: list[Hashable]
    starts: list[int]

    def __len__(self) -> int:
        return len(self.keys)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def block_text(runs: list[Run], note: Callable[[int], str] = lambda n: f"({n})") -> str:
    """A block's text as a reader sees it: runs joined, a footnote reference as “(n)”."""
    return nfc("".join(note(r.footnote) if r.footnote is not None else r.text for r in runs))


def tokens(runs: list[Run], note_id: Callable[[int], Hashable]) -> tuple[str, Tokens]:
    """The reader text of `runs` and its tokens; a footnote reference is one token keyed by `note_id`."""
    parts: list[str] = []
    keys: list[Hashable] = []
    starts: list[int] = []
    offset = 0
    for run in runs:
        if run.footnote is not None:
            mark = f"({run.footnote})"
            keys.append(("note", note_id(run.footnote)))
            starts.append(offset)
            parts.append(mark)
            offset += len(mark)
            continue
        text = nfc(run.text)
        found = TOKEN.findall(text)
        keys.extend(found)
        for token in found:
            starts.append(offset)
            offset += len(token)
        parts.append(text)
    return "".join(parts), Tokens(keys, starts)


def text_tokens(text: str) -> Tokens:
    """Tokens of a plain text (no footnote references)."""
    keys: list[Hashable] = list(TOKEN.findall(text))
    starts = []
    offset = 0
    for token in keys:
        starts.append(offset)
        offset += len(token)  # type: ignore[arg-type]
    return Tokens(keys, starts)


def join(texts: Sequence[tuple[str, Tokens]]) -> tuple[str, Tokens]:
    """Several paragraphs as one text, the paragraph break a token of its own."""
    if len(texts) == 1:
        return texts[0]
    out_text = ""
    out = Tokens([], [])
    for i, (text, toks) in enumerate(texts):
        if i:
            out.keys.append(PARAGRAPH_BREAK)
            out.starts.append(len(out_text))
            out_text += PARAGRAPH_BREAK
        base = len(out_text)
        out.keys.extend(toks.keys)
        out.starts.extend(start + base for start in toks.starts)
        out_text += text
    return out_text, out


def _bounds(toks: Tokens, text: str, i: int, j: int) -> tuple[int, int]:
    """The text span of tokens i..j (tokens tile the text)."""

    def at(k: int) -> int:
        return toks.starts[k] if k < len(toks) else len(text)

    return at(i), at(j)


def word_ops(old_text: str, old: Tokens, new_text: str, new: Tokens) -> tuple[WordOp, ...]:
    """Word operations that turn `old` into `new` (see `opcodes`), tiling both texts."""
    ids: dict[Hashable, int] = {}
    a = [ids.setdefault(_fold(k), len(ids)) for k in old.keys]
    b = [ids.setdefault(_fold(k), len(ids)) for k in new.keys]
    if a == b and old.keys != new.keys:  # the same words, some of them in another case
        return _tidy(_equal_ops(old_text, old, new_text, new, 0, 0, len(a)), old_text, new_text)
    if not a or not b or a == b:
        tag = EQUAL if a == b else INSERT if not a else DELETE
        if tag != EQUAL and old_text.strip() and new_text.strip():
            tag = REPLACE
        return (WordOp(tag, old_text, new_text, 0, len(old_text), 0, len(new_text)),)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == EQUAL:
            ops.extend(_equal_ops(old_text, old, new_text, new, i1, j1, i2 - i1))
            continue
        os_, oe = _bounds(old, old_text, i1, i2)
        ns, ne = _bounds(new, new_text, j1, j2)
        ops.append(WordOp(tag, old_text[os_:oe], new_text[ns:ne], os_, oe, ns, ne))
    return _tidy(ops, old_text, new_text)


Opcode = tuple[str, int, int, int, int]
MAX_DIRECT = 250_000  # token pairs compared directly by edit distance; beyond, unique tokens anchor first


def opcodes(a: list[int], b: list[int], i0: int = 0, j0: int = 0) -> list[Opcode]:
    """Edit operations turning a into b: the common ends cut off in linear time, long middles
    split at tokens unique on both sides (patience anchors), short stretches by Levenshtein."""
    from rapidfuzz.distance import Levenshtein

    n, m = len(a), len(b)
    p = 0
    while p < n and p < m and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and s < m - p and a[n - 1 - s] == b[m - 1 - s]:
        s += 1
    out: list[Opcode] = [(EQUAL, i0, i0 + p, j0, j0 + p)] if p else []
    mid_a, mid_b = a[p : n - s], b[p : m - s]
    anchors = _unique_anchors(mid_a, mid_b) if len(mid_a) * len(mid_b) > MAX_DIRECT else []
    if anchors:
        x = y = 0
        for i, j in [*anchors, (len(mid_a), len(mid_b))]:
            out.extend(opcodes(mid_a[x:i], mid_b[y:j], i0 + p + x, j0 + p + y))
            if i < len(mid_a):
                out.append((EQUAL, i0 + p + i, i0 + p + i + 1, j0 + p + j, j0 + p + j + 1))
            x, y = i + 1, j + 1
    elif mid_a or mid_b:
        for c in Levenshtein.opcodes(mid_a, mid_b):
            out.append((c.tag, i0 + p + c.src_start, i0 + p + c.src_end, j0 + p + c.dest_start, j0 + p + c.dest_end))
    if s:
        out.append((EQUAL, i0 + n - s, i0 + n, j0 + m - s, j0 + m))
    return _merge_equal(out)


def _unique_anchors(a: list[int], b: list[int]) -> list[tuple[int, int]]:
    from dhcompiler.diff.align import lis

    seen: dict[int, list[int]] = {}
    for i, k in enumerate(a):
        seen.setdefault(k, [0, i, 0, -1])[0] += 1
    for j, k in enumerate(b):
        if k in seen:
            seen[k][2] += 1
            seen[k][3] = j
    pairs = sorted((c[1], c[3]) for c in seen.values() if c[0] == 1 and c[2] == 1)
    return [pairs[k] for k in lis([j for _i, j in pairs])]


def _merge_equal(ops: list[Opcode]) -> list[Opcode]:
    out: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if out and op[0] == EQUAL and out[-1][0] == EQUAL:
            last = out.pop()
            op = (EQUAL, last[1], op[2], last[3], op[4])
        out.append(op)
    return out


def _fold(key: Hashable) -> Hashable:
    """Tokens are aligned case-blind (“công” ~ “Công”), so a word whose case changed stays in place."""
    return key.casefold() if isinstance(key, str) else key


def _equal_ops(old_text: str, old: Tokens, new_text: str, new: Tokens, i: int, j: int, n: int) -> list[WordOp]:
    """An equal stretch, cut where a word's case differs: that word becomes a replacement."""
    ops: list[WordOp] = []
    start = 0
    for k in range(n + 1):
        differs = k < n and isinstance(old.keys[i + k], str) and old.keys[i + k] != new.keys[j + k]
        if k < n and not differs:
            continue
        if k > start:
            os_, oe = _bounds(old, old_text, i + start, i + k)
            ns, ne = _bounds(new, new_text, j + start, j + k)
            ops.append(WordOp(EQUAL, old_text[os_:oe], new_text[ns:ne], os_, oe, ns, ne))
        if differs:
            os_, oe = _bounds(old, old_text, i + k, i + k + 1)
            ns, ne = _bounds(new, new_text, j + k, j + k + 1)
            ops.append(WordOp(REPLACE, old_text[os_:oe], new_text[ns:ne], os_, oe, ns, ne))
        start = k + 1
    return ops


def _tidy(ops: list[WordOp], old_text: str, new_text: str) -> tuple[WordOp, ...]:
    """Drop empty operations, merge neighbours of one tag, and give leading spaces their own op."""
    merged: list[WordOp] = []
    for op in ops:
        if not op.old and not op.new:
            continue
        if op.op in (INSERT, DELETE, REPLACE) and merged and merged[-1].op in (INSERT, DELETE, REPLACE):
            last = merged.pop()
            op = WordOp(REPLACE, old_text[last.old_start : op.old_end], new_text[last.new_start : op.new_end],
                        last.old_start, op.old_end, last.new_start, op.new_end)  # fmt: skip
            op = _retag(op)
        merged.append(op)
    return tuple(merged)


def _retag(op: WordOp) -> WordOp:
    tag = INSERT if not op.old else DELETE if not op.new else REPLACE
    return WordOp(tag, op.old, op.new, op.old_start, op.old_end, op.new_start, op.new_end)


def count_words(text: str) -> int:
    """Words as “chữ” are counted: syllables and numbers, no punctuation."""
    return sum(1 for m in TOKEN.finditer(text) if m.group(0)[0].isalnum())


def words_changed(ops: tuple[WordOp, ...]) -> tuple[int, int]:
    """(words added, words removed) over the operations."""
    added = sum(count_words(op.new) for op in ops if op.op != EQUAL)
    removed = sum(count_words(op.old) for op in ops if op.op != EQUAL)
    return added, removed


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding [start, end): from after the previous “. ”, “; ” or break to the next one."""
    marks = (". ", "; ", "\n")
    left = max(text.rfind(m, 0, start) + len(m) if text.rfind(m, 0, start) >= 0 else 0 for m in marks)
    right = [i + 1 for i in (text.find(m, end) for m in marks) if i >= 0]
    return left, min(right) if right else len(text)
