"""Rules on the other documents built from the data: the resolution against the report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dhcompiler.checks.context import CheckContext, mask
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.findings import DhcError
from dhcompiler.indicators import format_number_unit
from dhcompiler.load import DataPath, SourceFile
from dhcompiler.model import Report

RESOLUTION = "resolution"


def document_source(report: Report, name: str) -> SourceFile | None:
    """The data file of document `name` next to the report's data, if it exists and reads."""
    from dhcompiler.documents import document_data

    data_dir = Path(report.meta.source.file).parent
    try:
        return document_data(data_dir, name)
    except DhcError:  # the build reports an unreadable file; the check has nothing to compare
        return None


def document_sources(report: Report) -> list[SourceFile]:
    """Every readable data file of the other documents (`documents/*.yaml`), for the
    `# dhc-ignore` comments of the findings placed in them (DH311)."""
    folder = Path(report.meta.source.file).parent / "documents"
    names = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    return [source for name in names if (source := document_source(report, name)) is not None]


def strings(value: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every string of a plain YAML value with its data path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, (*path, i))


@rule("DH311", "resolution-drift", "consistency")
def resolution_drift(ctx: CheckContext) -> Iterator[Hit]:
    """Nghị quyết Đại hội nêu chỉ tiêu đúng như báo cáo và không bỏ sót chỉ tiêu nào.

    Mục tiêu, chỉ tiêu của Nghị quyết được dựng từ chính dữ liệu của báo cáo. Đoạn văn viết
    thêm trong ``documents/resolution.yaml`` (đánh giá, lời kêu gọi, các điểm khác) mà nhắc
    tên một chỉ tiêu kèm con số thì con số phải bằng kết quả nhiệm kỳ qua hoặc mục tiêu
    nhiệm kỳ mới trong ``indicators.yaml``; danh sách ``targets:`` (khi chỉ chọn một số
    chỉ tiêu) phải có mọi chỉ tiêu chủ yếu của Phần thứ hai.

    Sai:  ``assessment: [Giá trị xuất khẩu trên địa bàn bình quân đạt 9,6%/năm.]``
          (báo cáo: 8,6%/năm)
    Đúng: ``assessment: [Giá trị xuất khẩu trên địa bàn bình quân đạt {{ ind.xuat_khau.result }}.]``
    """
    source = document_source(ctx.report, RESOLUTION)
    if source is None or not isinstance(source.data, dict):
        return
    yield from _restated_figures(ctx.report, source)
    yield from _targets_left_out(ctx.report, source)


def _restated_figures(report: Report, source: SourceFile) -> Iterator[Hit]:
    from dhcompiler.checks.consistency import _figure_of, _name_index, _named, figures_in, same_figure
    from dhcompiler.checks.indicators import fold, sentences

    indexes = [_name_index(_named(report, new_term)) for new_term in (False, True)]
    for path, text in strings(source.data):
        folded = fold(mask(text))
        if not any(True for _ in figures_in(folded, 0, len(folded))):
            continue
        for start, end in sentences(folded):
            stated: dict[int, list[Any]] = {}
            for index in indexes:
                for match, named in index.find(folded, start, end):
                    found = _figure_of(folded, start, end, match, named)
                    if found is not None:
                        stated.setdefault(found[0], []).append((found[1], named))
            for offset, candidates in stated.items():
                if not any(same_figure(value, named.quantity.value) for value, named in candidates):
                    yield Hit(source.loc(path).at(offset), _figure_message(candidates))


def _figure_message(candidates: list[Any]) -> str:
    value, named = candidates[0]
    unit = named.quantity.unit or named.measure.unit
    known = " hoặc ".join(
        format_number_unit(n.quantity.value, n.quantity.unit or n.measure.unit) for _v, n in candidates
    )
    return (
        f"Nghị quyết viết {format_number_unit(value, unit)} cho chỉ tiêu “{named.measure.name}”, "
        f"nhưng báo cáo ghi {known} ({named.measure.key}); hãy dẫn {{{{ ind.{named.measure.key}.result }}}} "
        "hoặc sửa cho khớp."
    )


def _targets_left_out(report: Report, source: SourceFile) -> Iterator[Hit]:
    chosen = source.data.get("targets")
    if not isinstance(chosen, list):
        return
    keys = {group.key for group in report.indicators.targets}
    for i, key in enumerate(chosen):
        if key not in keys:
            yield Hit(source.loc(("targets", i)), f"Không có nhóm chỉ tiêu “{key}” trong indicators.yaml (targets).")
    for number, group in enumerate(report.indicators.targets, start=1):
        if group.key not in chosen:
            yield Hit(
                source.loc(("targets",)),
                f"Nghị quyết bỏ sót chỉ tiêu chủ yếu số {number} của báo cáo (nhóm “{group.key}”); "
                "thêm khóa này vào targets, hoặc bỏ targets để Nghị quyết có mọi chỉ tiêu.",
            )


@rule("DH312", "open-alternative", "structure")
def open_alternative(ctx: CheckContext) -> Iterator[Hit]:
    """Mỗi chỗ có nhiều phương án phải được chọn trước khi văn bản hoàn thành.

    Chủ đề, phương châm, tiêu đề, đoạn văn hay chỉ tiêu có ``alternatives:`` mà chưa chọn thì
    văn bản in tất cả các phương án, có nhãn, để Ban Chấp hành chọn. Chọn bằng ``choices:``
    trong ``document.yaml`` (hoặc ``dhc build --choose KHÓA=PHƯƠNG_ÁN``). Là cảnh báo khi còn
    dự thảo; là lỗi với ``dhc check --final``.

    Sai:  ``theme: {title: CHỦ ĐỀ ĐẠI HỘI, alternatives: [{key: pa1, …}, {key: pa2, …}]}``
          và không có ``choices:``
    Đúng: thêm ``choices: {theme: pa2}`` vào ``document.yaml``
    """
    from dhcompiler.alternatives import choice_points

    for point in choice_points(ctx.report):
        labels = ", ".join(f"{a.label} ({a.key})" for a in point.alternatives)
        if not point.key:
            how = "đặt key cho đoạn văn này rồi chọn bằng choices: trong document.yaml"
        else:
            how = f"chọn bằng choices: {{{point.key}: …}} trong document.yaml hoặc dhc build --choose {point.key}=…"
        yield Hit(point.loc, f"Còn {len(point.alternatives)} phương án chưa chọn: {labels}; {how}.")
