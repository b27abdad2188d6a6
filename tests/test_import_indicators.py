"""Reading indicator sentences back into measures; a parse is kept only when it renders back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import DATA
from dhcompiler.importers.indicators import parse_group, same
from dhcompiler.indicators import result_line, target_line
from dhcompiler.model import IndicatorGroup, Measure, Quantity
from dhcompiler.resolve import load_report

REPORT = load_report(DATA)
GROUPS = [("results", g) for g in REPORT.indicators.results] + [("targets", g) for g in REPORT.indicators.targets]


def _values(measure: Measure, shared: Quantity | None = None) -> list[tuple[object, ...]]:
    """What an indicator says, whatever its wording: figures, comparisons and units in effect."""

    def quantity(q: Quantity | None, unit: str | None) -> tuple[object, ...]:
        if q is None:
            return (None,)
        return (q.value, q.comparison, (q.unit or unit) if q.value is not None else None, q.text)

    own = [(quantity(measure.result, measure.unit), quantity(measure.target or shared, measure.unit))]
    return own + [v for part in measure.parts for v in _values(part)]


def _group_values(group: IndicatorGroup) -> list[tuple[object, ...]]:
    return [v for m in group.measures for v in _values(m, group.target)]


def _parsed_model(data: dict, footnote: str | None) -> IndicatorGroup:
    counter = iter(range(1000))

    def keyed(m: dict) -> dict:
        return {**m, "key": f"m{next(counter)}", "parts": [keyed(p) for p in m.get("parts", [])]}

    group = {k: v for k, v in data.items() if k != "verbatim"}
    group.update(key="g", measures=[keyed(m) for m in data["measures"]])
    if footnote is not None:
        group["footnote"] = "chu-thich"
    model = IndicatorGroup.model_validate(group)
    for measure in model.measures:
        for part in measure.parts:
            part.unit = part.unit or measure.unit
    return model


@pytest.mark.parametrize(("kind", "group"), GROUPS, ids=[g.key for _k, g in GROUPS])
def test_every_indicator_sentence_of_the_report_reads_back_to_its_values(kind, group):
    render = result_line if kind == "results" else target_line
    line = render(group)
    text = line.text.replace(f"[^{group.footnote}]", "\ue000n\ue001") if group.footnote else line.text
    parsed = parse_group(text, line.bullets, kind)
    assert parsed is not None and not parsed.verbatim, parsed and parsed.problems
    assert parsed.problems == []
    model = _parsed_model(parsed.data, parsed.footnote)
    assert _group_values(model) == _group_values(group)
    again = render(model)
    assert same(again.text, line.text.replace(f"[^{group.footnote}]", "[^chu-thich]"))
    assert again.bullets == line.bullets


def test_the_seed_shape_with_its_typing_quirks_is_parsed():
    parsed = parse_group(
        "Hằng năm, có 98% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên; 93,2% đảng viên "
        "hoàn thành tốt nhiệm vụ trở lên (Mục tiêu: 90% )\ue00013\ue001",
        [],
        "results",
    )
    assert parsed is not None and parsed.footnote == "13"
    assert parsed.data["lead"] == "hằng năm, có"
    assert parsed.data["target"] == {"value": "90", "unit": "%"}
    assert [m["result"]["value"] for m in parsed.data["measures"]] == ["98", "93,2"]


def test_a_target_that_is_not_a_number_stays_words_and_is_listed():
    parsed = parse_group("Giá trị xuất khẩu bình quân đạt 8,6%/năm (Mục tiêu: khoảng 15%/năm).", [], "results")
    assert parsed is not None and not parsed.verbatim
    measure = parsed.data["measures"][0]
    assert measure["result"] == {"value": "8,6"} and measure["target"] == {"text": "Mục tiêu: khoảng 15%/năm"}
    assert parsed.problems == ["mục tiêu “Mục tiêu: khoảng 15%/năm” không đọc được thành số; giữ nguyên văn"]


def test_a_sentence_without_figures_is_kept_word_for_word():
    text = "Tỷ lệ hộ dùng điện lưới đạt mức cao, vượt mục tiêu đề ra."
    parsed = parse_group(text, [], "results")
    assert parsed is not None and parsed.verbatim and parsed.problems
    assert same(result_line(_parsed_model(parsed.data, None)).text, text)


def test_a_figure_the_vi_locale_does_not_read_is_not_taken_for_a_number():
    parsed = parse_group("Tỷ lệ che phủ rừng đạt 20.1% (Mục tiêu: 20%).", [], "results")
    assert parsed is not None
    assert same(result_line(_parsed_model(parsed.data, None)).text, "Tỷ lệ che phủ rừng đạt 20.1% (Mục tiêu: 20%).")
    assert all(m.get("result", {}).get("value") != "20,1" for m in parsed.data["measures"])


def test_a_list_whose_parts_do_not_parse_is_refused():
    assert (
        parse_group(
            "Tốc độ tăng trưởng bình quân đạt 17,02%/năm, trong đó:", ["Công nghiệp tăng khá nhanh."], "results"
        )
        is None
    )


def test_bullets_without_a_list_end_are_refused():
    assert parse_group("Tốc độ tăng trưởng bình quân đạt 17,02%/năm.", ["Công nghiệp: 17%/năm."], "results") is None


@pytest.mark.parametrize(
    ("text", "value", "comparison", "unit"),
    [
        ("Tỷ lệ hộ nghèo giảm còn dưới 1,5%.", "1,5", "below", "%"),
        ("Thu ngân sách tăng từ 10%/năm trở lên.", "10", "from", "%/năm"),
        ("Sản lượng đạt 21.502 tấn/năm.", "21.502", None, "tấn/năm"),
        ("Thu nhập bình quân gấp 1,45 lần so với năm 2025.", "1,45", None, "lần"),
    ],
)
def test_figures_read_with_their_comparison_and_unit(text, value, comparison, unit):
    parsed = parse_group(text, [], "targets")
    assert parsed is not None and not parsed.problems
    measure = parsed.data["measures"][0]
    assert measure["target"].get("value") == value and measure["target"].get("comparison") == comparison
    assert measure.get("unit") == unit
    assert Decimal(measure["target"]["value"].replace(".", "").replace(",", ".")) > 0
