"""Matching and alignment: pair items by key then similarity, order-preserving paragraph alignment."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")

THRESHOLD = 0.5  # like git's rename detection: half the content kept
MAX_DP = 2500  # a gap of at most this many paragraph pairs is aligned by dynamic programming
MAX_CANDIDATES = 40_000  # leftover pairs scored by similarity before falling back to exact matches
MOVE_THRESHOLD = 0.9  # a paragraph removed in one place and added in another with (nearly) its words moved


def lis(values: Sequence[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of `values` (patience sorting, n log n)."""
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    out: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(i)
        i = back[i]
    return out[::-1]


def match_leftovers(
    old: list[T], new: list[T], score: Callable[[T, T], float], exact: Callable[[T], Hashable]
) -> list[tuple[T, T, float]]:
    """Pair leftovers best-first by `score` (≥ THRESHOLD); too many pairs: exact matches only."""
    if not old or not new:
        return []
    if len(old) * len(new) > MAX_CANDIDATES:
        by_key: dict[Hashable, list[T]] = {}
        for item in new:
            by_key.setdefault(exact(item), []).append(item)
        out = []
        for item in old:
            found = by_key.get(exact(item))
            if found:
                out.append((item, found.pop(0), 1.0))
        return out
    scored = [(score(o, n), i, j) for i, o in enumerate(old) for j, n in enumerate(new)]
    return [(old[i], new[j], s) for i, j, s in best_first(scored, THRESHOLD)]


def best_first(scored: list[tuple[float, int, int]], threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (i, j, score) from candidates (score, i, j): the best score first, ties in
    the order of i then j, each i and each j used once, none below `threshold`."""
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for s, i, j in scored:
        if s < threshold:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, s))
    return pairs


Step = tuple[list[int], list[int]]


def align(old: Sequence[Hashable], new: Sequence[Hashable], similarity: Callable[[int, int], float]) -> list[Step]:
    """Align two paragraph lists in order: unique equal paragraphs anchor, the gaps pair similar ones.

    A paragraph that stands unchanged on the other side, out of the gap, is not paired with
    another by similarity: it moved (`pair_moves`), it was not reworded into its neighbour.
    E.g. old [A, B, C], new [C, B, A] with A and C alike: A removed and added, not edited into C.
    Each step is ([old indices], [new indices]): one-to-one, or one side empty (added/removed).
    """
    anchors = _anchors(old, new)
    old_set, new_set = set(old), set(new)

    def gap_similarity(i: int, j: int) -> float:
        if old[i] == new[j]:
            return 1.0
        if old[i] in new_set or new[j] in old_set:  # one of them stands unchanged elsewhere: moved, not edited
            return 0.0
        return similarity(i, j)

    steps: list[Step] = []
    i0 = j0 = 0
    for i, j in [*anchors, (len(old), len(new))]:
        steps.extend(_gap(i0, i, j0, j, old, new, gap_similarity))
        if i < len(old):
            steps.append(([i], [j]))
        i0, j0 = i + 1, j + 1
    return steps


def _anchors(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    count: dict[Hashable, list[int]] = {}
    for i, sig in enumerate(old):
        count.setdefault(sig, [0, -1, 0, -1])
        count[sig][0] += 1
        count[sig][1] = i
    for j, sig in enumerate(new):
        if sig in count:
            count[sig][2] += 1
            count[sig][3] = j
    candidates = sorted((c[1], c[3]) for c in count.values() if c[0] == 1 and c[2] == 1)
    keep = lis([j for _i, j in candidates])
    return [candidates[k] for k in keep]


def _gap(
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    sim: Callable[[int, int], float],
) -> list[Step]:
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        return [([i], []) for i in range(i0, i1)] + [([], [j]) for j in range(j0, j1)]
    if n * m > MAX_DP:
        return _gap_by_position(i0, i1, j0, j1, old, new)
    # best[i][j]: the best total similarity aligning old[i0+i:] with new[j0+j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    scores = [[0.0] * m for _ in range(n)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = sim(i0 + i, j0 + j)
            scores[i][j] = s
            take = best[i + 1][j + 1] + s if s >= THRESHOLD else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    steps: list[Step] = []
    i = j = 0
    while i < n and j < m:
        s = scores[i][j]
        if s >= THRESHOLD and best[i][j] == best[i + 1][j + 1] + s:
            steps.append(([i0 + i], [j0 + j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            steps.append(([i0 + i], []))
            i += 1
        else:
            steps.append(([], [j0 + j]))
            j += 1
    steps.extend(([i0 + k], []) for k in range(i, n))
    steps.extend(([], [j0 + k]) for k in range(j, m))
    return steps


def _gap_by_position(
    i0: int, i1: int, j0: int, j1: int, old: Sequence[Hashable], new: Sequence[Hashable]
) -> list[Step]:
    """A large gap: an edit script over paragraph identities, replaced stretches paired in order."""
    from rapidfuzz.distance import Levenshtein

    ids: dict[Hashable, int] = {}
    a = [ids.setdefault(s, len(ids)) for s in old[i0:i1]]
    b = [ids.setdefault(s, len(ids)) for s in new[j0:j1]]
    steps: list[Step] = []
    for op in Levenshtein.opcodes(a, b):
        olds = list(range(i0 + op.src_start, i0 + op.src_end))
        news = list(range(j0 + op.dest_start, j0 + op.dest_end))
        paired = min(len(olds), len(news)) if op.tag in ("equal", "replace") else 0
        steps.extend(([o], [n]) for o, n in zip(olds[:paired], news[:paired], strict=True))
        steps.extend(([o], []) for o in olds[paired:])
        steps.extend(([], [n]) for n in news[paired:])
    return steps


def join_splits(steps: list[Step], gain: Callable[[list[int], list[int]], float]) -> list[Step]:
    """Fold an added (removed) paragraph next to a pair into it when the pair then reads better:
    a paragraph split in two (two merged into one). `gain(old, new)` scores a candidate step."""
    out: list[Step] = []
    for step in steps:
        prev = out[-1] if out else None
        if prev and prev[0] and prev[1] and not step[0] and len(step[1]) == 1:  # pair, then added
            grown = (prev[0], [*prev[1], *step[1]])
            if len(prev[0]) == 1 and gain(*grown) > gain(*prev) + 0.05:
                out[-1] = grown
                continue
        if prev and prev[0] and prev[1] and not step[1] and len(step[0]) == 1:  # pair, then removed
            grown = ([*prev[0], *step[0]], prev[1])
            if len(prev[1]) == 1 and gain(*grown) > gain(*prev) + 0.05:
                out[-1] = grown
                continue
        if prev and not prev[0] and len(prev[1]) == 1 and len(step[0]) == 1 and len(step[1]) == 1:  # added, pair
            grown = (step[0], [*prev[1], *step[1]])
            if gain(*grown) > gain(*step) + 0.05:
                out[-1] = grown
                continue
        if prev and not prev[1] and len(prev[0]) == 1 and len(step[0]) == 1 and len(step[1]) == 1:  # removed, pair
            grown = ([*prev[0], *step[0]], step[1])
            if gain(*grown) > gain(*step) + 0.05:
                out[-1] = grown
                continue
        out.append(step)
    return out


def pair_moves(steps: list[Step], similarity: Callable[[int, int], float]) -> dict[int, int]:
    """Removed and added paragraphs of an alignment that are one paragraph moved: {removed step: added step}.

    A removed paragraph and an added one pair when `similarity(old index, new index)` reaches
    MOVE_THRESHOLD, best-first (ties in reading order). Too many candidates: none are paired.
    E.g. old [A, B, C], new [B, C, A] aligns as A removed, B, C, A added; A's two steps pair.
    """
    removed = [(k, s[0][0]) for k, s in enumerate(steps) if len(s[0]) == 1 and not s[1]]
    added = [(k, s[1][0]) for k, s in enumerate(steps) if len(s[1]) == 1 and not s[0]]
    if not removed or not added or len(removed) * len(added) > MAX_CANDIDATES:
        return {}
    scored = [(similarity(i, j), k, m) for k, i in removed for m, j in added]
    return {k: m for k, m, _score in best_first(scored, MOVE_THRESHOLD)}
