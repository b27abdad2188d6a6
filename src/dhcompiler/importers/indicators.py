"""Read indicator sentences (“… đạt 17,02%/năm (Mục tiêu: 17%)”) back into measures.

Every parse is checked by rendering it with the compiler's own `result_line`/`target_line`
and comparing with the sentence (ignoring whitespace, and a final full stop the compiler
adds): a measure is kept only when it reproduces its sentence. A part of a sentence that
does not parse is kept as words (the name), so that the text never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dhcompiler.importers.draft import MARK
from dhcompiler.indicators import result_line, target_line
from dhcompiler.model import IndicatorGroup
from dhcompiler.numbers import NumberSyntaxError, format_vi_number, parse_vi_number

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
UNIT = (
    r"%(?:/[^\s,;.()]+)?"
    r"|\s(?:tấn/năm|tấn|triệu đồng/người/năm|triệu đồng/người|triệu đồng|nghìn tỷ đồng|tỷ đồng"
    r"|triệu USD|USD|lần|ha|km|đảng viên)"
)
FIGURE = re.compile(
    rf"(?<![\w.,/])(?:(?P<cmp>trên|dưới|từ)\s+)?(?P<num>{NUMBER})(?P<unit>{UNIT})?"
    rf"(?P<more>\s+trở lên)?(?![\w/])",
    re.IGNORECASE,
)
VERBS = sorted(
    [
        "phấn đấu đạt bình quân",
        "phấn đấu đạt",
        "tăng bình quân",
        "giảm bình quân",
        "đạt tỷ lệ",
        "đạt",
        "tăng",
        "giảm",
        "gấp",
        "là",
        "còn",
        "chiếm",
    ],
    key=len,
    reverse=True,
)
TARGET_NOTE = "Mục tiêu:"
LIST_END = ", trong đó:"
INLINE_PARTS = ", trong đó "
TEMP_FOOTNOTE = "chu-thich"


@dataclass
class Figure:
    """A number with its unit and comparison, where it stands in its text."""

    start: int
    end: int
    value: str
    unit: str | None
    comparison: str | None

    def quantity(self) -> dict[str, Any]:
        q: dict[str, Any] = {"value": self.value}
        if self.comparison:
            q["comparison"] = self.comparison
        return q


@dataclass
class Parsed:
    """A group read from its sentence: the data, and what could not be read into values."""

    data: dict[str, Any]
    footnote: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def verbatim(self) -> bool:
        """True when nothing in the sentence was read as a value: it is kept as words only."""
        measures = self.data["measures"]
        return bool(self.data.get("verbatim")) or not any("result" in m or "target" in m for m in measures)


def parse_group(text: str, bullets: list[str], kind: str) -> Parsed | None:
    """A group of measures that renders back to `text` and `bullets`, or None."""
    body, footnote, listed = _strip_end(text)
    if listed != bool(bullets):
        return None
    parsed = _parse(body, bullets, kind)
    parsed.footnote = footnote
    if _renders(parsed, text, bullets, kind):
        return parsed
    if bullets:
        return None
    fallback = Parsed(
        {"measures": [{"name": decap(body)}], "verbatim": True},
        footnote,
        ["không đọc được câu chỉ tiêu thành số liệu; giữ nguyên văn"],
    )
    return fallback if _renders(fallback, text, bullets, kind) else None


def _strip_end(text: str) -> tuple[str, str | None, bool]:
    """The sentence without its final stop, footnote mark or “, trong đó:”."""
    body = text.strip()
    listed = body.endswith(LIST_END) or body.endswith(LIST_END.replace(", ", ","))
    if listed:
        body = body[: body.rstrip().rfind(",")].rstrip()
    body = body.rstrip(" .")
    footnote = None
    match = re.search(f"(?:{MARK.pattern})$", body)
    if match:
        footnote, body = match.group(1), body[: match.start()].rstrip(" .")
    return body, footnote, listed


def _parse(body: str, bullets: list[str], kind: str) -> Parsed:
    parsed = Parsed({"measures": []})
    segments = _segments(body)
    if len(segments) > 1 and not _figures(segments[0][1]):
        sep, first = segments.pop(0)
        parsed.data["lead"] = decap(first) + segments[0][0].rstrip()
        segments[0] = ("", segments[0][1])
    for i, (sep, segment) in enumerate(segments):
        capital = i == 0 and "lead" not in parsed.data or sep.strip() == "."
        main, inline = _split_inline(segment)
        measure = _measure(main, kind, capital, sep, parsed.problems)
        if inline:
            part = _measure(inline, kind, False, "", parsed.problems)
            if part.get("unit") == measure.get("unit"):
                part.pop("unit", None)
            measure.update(parts=[part], parts_layout="inline")
        parsed.data["measures"].append(measure)
    _group_lead_and_target(parsed.data)
    if bullets:
        measure = parsed.data["measures"][-1]
        measure["parts"] = [_bullet(b, kind, measure.get("unit"), parsed.problems) for b in bullets]
    return parsed


def _segments(body: str) -> list[tuple[str, str]]:
    """Split a sentence into measures at “; ”, “. ” (a new sentence) and “, ” before a figure."""
    out: list[tuple[str, str]] = []
    depth, start, sep = 0, 0, ""
    for i, c in enumerate(body):
        depth += (c == "(") - (c == ")")
        if depth or c not in ";.," or i + 1 >= len(body) or body[i + 1] != " ":
            continue
        rest = body[i + 2 :]
        if c == ";" or (c == "." and rest[:1].isupper()) or (c == "," and _starts_with_figure(rest)):
            out.append((sep, body[start:i].strip()))
            sep, start = body[i : i + 2], i + 2
    out.append((sep, body[start:].strip()))
    return out


def _split_inline(segment: str) -> tuple[str, str]:
    """“A đạt 77,2% (…), trong đó B đạt 43% (…)” → A's words and B's (a part of A)."""
    depth = 0
    for i, c in enumerate(segment):
        depth += (c == "(") - (c == ")")
        if depth == 0 and segment.startswith(INLINE_PARTS, i):
            return segment[:i], segment[i + len(INLINE_PARTS) :]
    return segment, ""


def _starts_with_figure(text: str) -> bool:
    match = FIGURE.match(text)
    return match is not None and bool(match.group("unit"))


def _figures(text: str) -> list[Figure]:
    """Figures outside parentheses, in order."""
    depth_at = []
    depth = 0
    for c in text:
        depth += c == "("
        depth_at.append(depth)
        depth -= c == ")"
    found = []
    for match in FIGURE.finditer(text):
        if depth_at[match.start()]:
            continue
        figure = _figure(match)
        if figure is not None:
            found.append(figure)
    return found


def _figure(match: re.Match[str]) -> Figure | None:
    try:
        value = format_vi_number(parse_vi_number(match.group("num")))
    except NumberSyntaxError:
        return None
    cmp = (match.group("cmp") or "").lower()
    more = bool(match.group("more"))
    unit = (match.group("unit") or "").strip() or None
    figure_end = match.end("unit") if match.group("unit") else match.end("num")
    if cmp == "từ" and more:
        return Figure(match.start(), match.end(), value, unit, "from")
    if cmp in ("trên", "dưới"):
        return Figure(match.start(), figure_end, value, unit, "above" if cmp == "trên" else "below")
    if more:
        return Figure(match.start("num"), match.end(), value, unit, "at_least")
    return Figure(match.start("num"), figure_end, value, unit, None)


def _measure(segment: str, kind: str, capital: bool, sep: str, problems: list[str]) -> dict[str, Any]:
    """The first reading of a segment that renders back to it: full, target as words, words."""
    text = decap(segment) if capital else segment
    core, target, inner = _target_note(text, kind)
    targets: list[dict[str, Any] | None] = [target]
    if target is not None and "value" in target:
        targets.append({"text": inner})
    for tried in targets:
        for figure in _ranked(core):
            measure = _reading(core, figure, tried, kind)
            if sep and sep != "; ":
                measure["sep"] = sep
            if _measure_renders(measure, text, kind):
                if tried is not None and "text" in tried and (inner or "").startswith(TARGET_NOTE):
                    problems.append(f"mục tiêu “{inner}” không đọc được thành số; giữ nguyên văn")
                return measure
    words: dict[str, Any] = {"name": text}
    if kind == "targets" and not _figures(core):
        words = {"target": {"text": text}}
    else:
        problems.append(f"không đọc được số liệu trong “{segment}”; giữ nguyên văn")
    if sep and sep != "; ":
        words["sep"] = sep
    return words


def _target_note(text: str, kind: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """“… (Mục tiêu: 17% trở lên)” → the text before it, the target and its words; results only."""
    if kind != "results" or not text.endswith(")"):
        return text, None, None
    depth = 0
    i = len(text) - 1
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] == ")") - (text[i] == "(")
        if depth == 0:
            break
    inner, core = text[i + 1 : -1].strip(), text[:i].rstrip()
    if inner.startswith(TARGET_NOTE):
        figure = _whole_figure(inner[len(TARGET_NOTE) :].strip())
        if figure is not None:
            return core, {**figure.quantity(), "unit": figure.unit}, inner
        return core, {"text": inner}, inner
    if not re.search(r"\d", inner):
        return core, {"text": inner}, inner
    return text, None, None


def _whole_figure(text: str) -> Figure | None:
    figures = _figures(text)
    if len(figures) == 1 and figures[0].start == 0 and figures[0].end == len(text):
        return figures[0]
    return None


def _ranked(core: str) -> list[Figure]:
    """Figures in the order to try: after a verb, at the start, with a unit (last first), others."""
    figures = _figures(core)

    def rank(pair: tuple[int, Figure]) -> tuple[int, int]:
        i, f = pair
        if _verb(core[: f.start].strip()):
            return (0, i)
        if f.start == 0:
            return (1, i)
        return (2, -i) if f.unit else (3, i)

    return [f for _i, f in sorted(enumerate(figures), key=rank)]


def _verb(before: str) -> str:
    for verb in VERBS:
        if before.casefold().endswith(verb) and (len(before) == len(verb) or before[-len(verb) - 1] == " "):
            return before[len(before) - len(verb) :]
    return ""


def _reading(core: str, figure: Figure, target: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    before, after = core[: figure.start].strip(), core[figure.end :].strip()
    verb = _verb(before)
    name = before[: len(before) - len(verb)].strip()
    measure: dict[str, Any] = {}
    if verb and name:
        measure.update(name=name, tail=after, verb=verb)
    elif not before or (len(before.split()) <= 3 and len(after) > len(before)):
        measure.update(name=after, lead=before, value_first=True)
    else:
        measure.update(name=before, tail=after, verb="")
    measure["unit"] = figure.unit
    _set_figures(measure, kind, figure, target)
    return _compact(measure)


def _bullet(text: str, kind: str, unit: str | None, problems: list[str]) -> dict[str, Any]:
    """“Công nghiệp, xây dựng: 17,33%/năm (Mục tiêu: 17% trở lên).” → a part."""
    body = text.strip().rstrip(".").strip()
    name, _, rest = body.partition(": ")
    core, target, _inner = _target_note(rest, kind)
    figure = _whole_figure(core.strip())
    if not name or figure is None:
        problems.append(f"không đọc được ý “{text}”")
        return {"name": decap(body)}
    part: dict[str, Any] = {"name": decap(name), "unit": None if figure.unit == unit else figure.unit}
    _set_figures(part, kind, figure, target)
    return _compact(part)


def _set_figures(measure: dict[str, Any], kind: str, figure: Figure, target: dict[str, Any] | None) -> None:
    """The figure read (a result, or a new-term target) and the stated target, whose unit is
    left out when it is the figure's own."""
    measure["result" if kind == "results" else "target"] = figure.quantity()
    if target is not None:
        measure["target"] = {k: v for k, v in target.items() if k != "unit" or v != figure.unit}


def _compact(measure: dict[str, Any]) -> dict[str, Any]:
    """Drop fields that hold their default, so that the YAML says only what the draft says."""
    defaults = {"verb": "đạt", "tail": "", "lead": "", "value_first": False, "unit": None}
    out = {k: v for k, v in measure.items() if k not in defaults or v != defaults[k]}
    for key in ("result", "target"):
        if isinstance(out.get(key), dict) and out[key].get("unit") is None:
            out[key] = {k: v for k, v in out[key].items() if k != "unit"}
    return out


def _group_lead_and_target(group: dict[str, Any]) -> None:
    """“Hằng năm, có 98% …; 93,2% … (Mục tiêu: 90%)”: the lead and the target are the group's."""
    measures = group["measures"]
    if len(measures) < 2 or not all(m.get("value_first") for m in measures):
        return
    if measures[0].get("lead") and "lead" not in group:
        group["lead"] = measures[0].pop("lead")
    if "target" in measures[-1] and not any("target" in m for m in measures[:-1]):
        target = measures[-1].pop("target")
        if "value" in target and "unit" not in target:
            target["unit"] = measures[-1].get("unit")
        group["target"] = _compact_quantity(target)


def _compact_quantity(q: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in q.items() if v is not None}


# --- checking by rendering -------------------------------------------------------------


def _model(data: dict[str, Any], footnote: str | None) -> IndicatorGroup | None:
    group = {"key": "g", **{k: v for k, v in data.items() if k != "verbatim"}}
    if footnote is not None:
        group["footnote"] = TEMP_FOOTNOTE
    counter = iter(range(10_000))

    def keyed(m: dict[str, Any]) -> dict[str, Any]:
        return {**m, "key": f"m{next(counter)}", "parts": [keyed(p) for p in m.get("parts", [])]}

    group["measures"] = [keyed(m) for m in group["measures"]]
    try:
        model = IndicatorGroup.model_validate(group)
    except ValidationError:
        return None
    for measure in model.measures:
        for part in measure.parts:
            part.unit = part.unit or measure.unit
    return model


def _renders(parsed: Parsed, text: str, bullets: list[str], kind: str) -> bool:
    model = _model(parsed.data, parsed.footnote)
    if model is None:
        return False
    line = (result_line if kind == "results" else target_line)(model)
    original = MARK.sub(f"[^{TEMP_FOOTNOTE}]", text)
    return (
        same(line.text, original)
        and len(line.bullets) == len(bullets)
        and all(same(a, b) for a, b in zip(line.bullets, bullets, strict=True))
    )


def _measure_renders(measure: dict[str, Any], text: str, kind: str) -> bool:
    model = _model({"measures": [{k: v for k, v in measure.items() if k != "sep"}]}, None)
    if model is None:
        return False
    line = (result_line if kind == "results" else target_line)(model)
    return same(line.text, text[:1].upper() + text[1:])


def same(rendered: str, original: str) -> bool:
    """Equal but for whitespace, and a final full stop that the compiler adds."""
    a, b = _squeeze(rendered), _squeeze(original)
    return a == b or a == b + "."


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def decap(text: str) -> str:
    """Lower-case the first letter of a sentence, unless the first word is an abbreviation."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1:2].islower()):
        return text[0].lower() + text[1:]
    return text
