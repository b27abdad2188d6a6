"""Rules on structure and references: loader codes, unused footnotes and lists, prose markup."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.patterns import lazy
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.findings import DhcError, Finding, Severity
from dhcompiler.load import Loc, SourceFile, load_file
from dhcompiler.resolve import FOOTNOTE_REF

# Codes the loader reports (it stops before any rule runs). They are registered here so that
# `dhc rules` and docs/rules.md document them; their functions find nothing themselves.
LOADER_CODES: set[str] = set()
# Tempered, so that finding them is linear even in a text full of unclosed `{{`.
EXPRESSION = lazy(r"\{\{(?:(?!\{\{|\}\}).)*\}\}", re.S)


def _loader_code(code: str, name: str, doc: str) -> None:
    def reported_by_loader(ctx: CheckContext) -> Iterator[Hit]:
        return iter(())

    reported_by_loader.__doc__ = doc
    rule(code, name, "structure", Severity.ERROR)(reported_by_loader)
    LOADER_CODES.add(code)


_loader_code(
    "DH001",
    "yaml-syntax",
    """Tệp dữ liệu phải là YAML hợp lệ (báo bởi bộ nạp).

    Sai:  ``title: Lĩnh vực: kinh tế`` (dấu “:” thứ hai trong văn bản không đặt trong ngoặc kép)
    Đúng: ``title: "Lĩnh vực: kinh tế"``
    """,
)
_loader_code(
    "DH002",
    "duplicate-key",
    """Một khóa chỉ xuất hiện một lần trong cùng một bảng (báo bởi bộ nạp).

    Sai:  ``title: A`` rồi ``title: B`` trong cùng một mục
    Đúng: ``title: A``
    """,
)
_loader_code(
    "DH003",
    "anchor",
    """Không dùng neo và bí danh YAML ``&``, ``*`` (báo bởi bộ nạp).

    Sai:  ``unit: &u "%/năm"`` … ``unit: *u``
    Đúng: ``unit: "%/năm"`` ở cả hai chỗ
    """,
)
_loader_code(
    "DH004",
    "complex-key",
    """Khóa phải là một chuỗi đơn giản (báo bởi bộ nạp).

    Sai:  ``[a, b]: giá trị``
    Đúng: ``a: giá trị``
    """,
)
_loader_code(
    "DH005",
    "unreadable-file",
    """Tệp phải đọc được, mã hóa UTF-8, dưới 5 MB (báo bởi bộ nạp).

    Sai:  tệp lưu bằng mã hóa Windows-1258
    Đúng: tệp lưu bằng UTF-8
    """,
)
_loader_code(
    "DH010",
    "missing-key",
    """Thiếu một khóa bắt buộc theo lược đồ (báo bởi bộ nạp).

    Sai:  một mục không có ``key``
    Đúng: ``key: linh-vuc-kinh-te``
    """,
)
_loader_code(
    "DH011",
    "unknown-key",
    """Khóa không có trong lược đồ, thường do gõ sai (báo bởi bộ nạp).

    Sai:  ``tittle: Lĩnh vực kinh tế``
    Đúng: ``title: Lĩnh vực kinh tế``
    """,
)
_loader_code(
    "DH012",
    "wrong-type",
    """Giá trị sai kiểu: chuỗi, số, danh sách hay bảng (báo bởi bộ nạp).

    Sai:  ``content: Một đoạn`` trong ``indicators.yaml`` ở chỗ cần một danh sách
    Đúng: ``measures: [ ... ]``
    """,
)
_loader_code(
    "DH013",
    "invalid-value",
    """Giá trị không hợp lệ: không thuộc danh sách cho phép, sai dạng khóa… (báo bởi bộ nạp).

    Sai:  ``key: Linh Vuc``
    Đúng: ``key: linh-vuc``
    """,
)
_loader_code(
    "DH014",
    "invalid-number",
    """Số không đọc được theo cách viết Việt Nam (báo bởi bộ nạp).

    Sai:  ``result: 17.02`` (dấu chấm là dấu phân cách hàng nghìn)
    Đúng: ``result: 17,02``
    """,
)
_loader_code(
    "DH050",
    "nesting-depth",
    """Dữ liệu YAML không lồng quá sâu (báo bởi bộ nạp; giới hạn 64 lớp).

    Sai:  ``[[[[[[ … ]]]]]]`` lồng hàng trăm lớp
    Đúng: ``sections: [a.yaml, b.yaml]``
    """,
)
_loader_code(
    "DH051",
    "prose-statement",
    """Văn bản chỉ dùng biểu thức ``{{ … }}``; không dùng lệnh ``{% … %}`` hay chú thích ``{# … #}`` của Jinja.

    Sai:  ``{% for i in range(9) %}…{% endfor %}``
    Đúng: ``tăng bình quân {{ ind.tang_truong_gtsx.result }}``
    """,
)
_loader_code(
    "DH052",
    "expression-complexity",
    """Một biểu thức ``{{ … }}`` có tối đa 100 thành phần và 16 lớp ngoặc; một đoạn tối đa 100 biểu thức.

    Sai:  ``{{ ((((((((((((((((((1)))))))))))))))))) }}``
    Đúng: ``{{ ind.thu_nhap.result }}``
    """,
)
_loader_code(
    "DH053",
    "expression-size",
    """Một biểu thức không tạo ra giá trị quá lớn (chuỗi, danh sách, số, ``range()``).

    Giới hạn: chuỗi hay danh sách 100.000 phần tử, ``range()`` 10.000 phần tử, số 1.200 chữ số,
    số mũ 1.000; không dùng phép ``%`` với chuỗi.

    Sai:  ``{{ 'x' * 10**9 }}``
    Đúng: ``{{ fig.du_an_thu_hut }}``
    """,
)
_loader_code(
    "DH020",
    "duplicate-stable-key",
    """Khóa ổn định (mục, chú thích, chỉ tiêu, số liệu) bị trùng (báo bởi bộ nạp).

    Sai:  hai mục cùng ``key: linh-vuc-kinh-te``
    Đúng: mỗi mục một khóa riêng
    """,
)
_loader_code(
    "DH021",
    "unknown-footnote",
    """Dẫn tới một chú thích không tồn tại (báo bởi bộ nạp).

    Sai:  ``… năm 2025[^chu-thich-khong-co].``
    Đúng: ``… năm 2025[^de-an-cai-cach-hanh].`` với chú thích được khai báo trong ``footnotes``
    """,
)
_loader_code(
    "DH022",
    "unknown-indicator",
    """Dẫn tới một chỉ tiêu không tồn tại (báo bởi bộ nạp).

    Sai:  ``đạt {{ ind.tang_truong_gtxs.result }}``
    Đúng: ``đạt {{ ind.tang_truong_gtsx.result }}``
    """,
)
_loader_code(
    "DH023",
    "include",
    """Tệp được gộp (``body``, ``sections``) phải có, nằm trong thư mục dữ liệu, không tự gộp (báo bởi bộ nạp).

    Sai:  ``- sections/khong-co.yaml``
    Đúng: ``- sections/1-0-phan-thu-nhat.yaml``
    """,
)
_loader_code(
    "DH024",
    "footnote-cited-twice",
    """Mỗi chú thích chỉ được dẫn một lần (báo bởi bộ nạp).

    Sai:  ``[^de-an]`` ở hai đoạn khác nhau
    Đúng: ``[^de-an]`` ở một chỗ; chỗ kia dùng một chú thích riêng
    """,
)


# --- rules ------------------------------------------------------------------------------------


def _cited_footnotes(ctx: CheckContext) -> set[str]:
    cited = {m.group(1) for prose in ctx.prose for m in FOOTNOTE_REF.finditer(prose.text) if m.group(1)}
    for group in (*ctx.report.indicators.results, *ctx.report.indicators.targets):
        if group.footnote is not None:
            cited.add(group.footnote)
    return cited


@rule("DH025", "unused-footnote", "structure")
def unused_footnote(ctx: CheckContext) -> Iterator[Hit]:
    """Chú thích được khai báo nhưng không được dẫn ở đâu, nên không được in ra.

    Sai:  ``footnotes: {de-an: …}`` mà không đoạn nào có ``[^de-an]``
    Đúng: ``… 09 chương trình, đề án[^de-an].`` và ``footnotes: {de-an: …}``
    """
    cited = _cited_footnotes(ctx)
    for key, note in ctx.report.footnotes.items():
        if key not in cited:
            yield Hit(
                note.owner.loc("footnotes", key, "<key>"),
                f"Chú thích “{key}” không được dẫn ở đâu nên sẽ không được in; "
                f"hãy thêm “[^{key}]” vào đoạn văn cần chú thích hoặc xóa chú thích này.",
            )


def _list_blocks(ctx: CheckContext) -> dict[str, list[Loc]]:
    placed: dict[str, list[Loc]] = {"results": [], "targets": []}
    for section, _depth in ctx.report.walk():
        for i, block in enumerate(section.content):
            if block.indicators is not None:
                placed[block.indicators].append(section.loc("content", i, "indicators"))
    return placed


INDICATOR_REF = lazy(r"\bind\.([A-Za-z_][A-Za-z0-9_]*)")


def _referenced(ctx: CheckContext, name: str) -> bool:
    """Whether the text shows every indicator of a list its own way (a table, sentences citing them)."""
    keys = {top.key for group in getattr(ctx.report.indicators, name) for top in group.measures}
    cited = {m.group(1) for prose in ctx.prose if "ind." in prose.text for m in INDICATOR_REF.finditer(prose.text)}
    return keys <= cited


@rule("DH026", "unused-indicators", "structure")
def unused_indicators(ctx: CheckContext) -> Iterator[Hit]:
    """Danh sách chỉ tiêu (``results`` hoặc ``targets``) có chỉ tiêu nhưng không được đặt vào mục nào.

    Không báo khi văn bản trình bày danh sách theo cách riêng, dẫn ``{{ ind.<khóa>… }}`` tới
    mọi chỉ tiêu của danh sách (như bảng kết quả trong phụ lục mà ``dhc import`` đọc ra).

    Sai:  ``indicators.yaml`` có ``targets`` mà không mục nào có khối ``- indicators: targets``
    Đúng: mục “Các chỉ tiêu chủ yếu” có ``content: [{indicators: targets}]``
    """
    placed = _list_blocks(ctx)
    for name in ("results", "targets"):
        if getattr(ctx.report.indicators, name) and not placed[name] and not _referenced(ctx, name):
            yield Hit(
                ctx.report.indicators.loc(name, "<key>"),
                f"Danh sách chỉ tiêu “{name}” không được đặt vào mục nào nên sẽ không được in; "
                f"hãy thêm khối “- indicators: {name}” vào mục tương ứng.",
            )


@rule("DH027", "indicators-placed-twice", "structure")
def indicators_placed_twice(ctx: CheckContext) -> Iterator[Hit]:
    """Một danh sách chỉ tiêu chỉ được đặt vào văn bản một lần.

    Sai:  ``- indicators: results`` ở hai mục
    Đúng: ``- indicators: results`` ở mục “Kết quả thực hiện các chỉ tiêu chủ yếu”
    """
    for name, locs in _list_blocks(ctx).items():
        for loc in locs[1:]:
            yield Hit(
                loc, f"Danh sách chỉ tiêu “{name}” đã được đặt ở {locs[0].path}:{locs[0].line}; hãy xóa khối lặp lại."
            )


# Files and folders of a data directory that the report does not include but other stages read:
# the settings, the dictionary, the reviewers' comments. A new kind of document that reads its
# own file adds it here.
# The data files of other documents (documents/<type>.yaml) are read by `dhc build --document`.
OTHER_DATA = ("dhc.yaml", "dictionary.yaml", "comments/", "documents/")
YAML_SUFFIXES = (".yaml", ".yml")


def _other_data(relative: str) -> bool:
    return any(relative == name or (name.endswith("/") and relative.startswith(name)) for name in OTHER_DATA)


def _data_file(path: Path, relative: str) -> bool:
    hidden = any(part.startswith(".") for part in relative.split("/"))
    return path.suffix.lower() in YAML_SUFFIXES and not hidden and not _other_data(relative) and path.is_file()


_last_reads: tuple[CheckContext, list[tuple[Path, SourceFile | Finding]]] | None = None


def _not_included_reads(ctx: CheckContext) -> list[tuple[Path, SourceFile | Finding]]:
    """Each file not included, as the loader reads it or with its first error (once per check)."""
    global _last_reads
    if _last_reads is None or _last_reads[0] is not ctx:
        root = ctx.report.meta.source.file.parent
        _last_reads = (ctx, [(path, _read(path, root)) for path in not_included(ctx)])
    return _last_reads[1]


def not_included(ctx: CheckContext) -> list[Path]:
    """The YAML files of the data directory that neither the report nor another stage reads."""
    root = ctx.report.meta.source.file.parent
    loaded = {source.file.resolve() for source in ctx.report.sources}
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if _data_file(path, relative) and path.resolve() not in loaded:
            found.append(path)
    return found


def _read(path: Path, root: Path) -> SourceFile | Finding:
    """The file as the loader reads it, or the loader's first error on it."""
    try:
        return load_file(path, root)
    except DhcError as exc:
        return exc.findings[0]


@rule("DH028", "unused-file", "structure")
def unused_file(ctx: CheckContext) -> Iterator[Hit]:
    """Tệp YAML trong thư mục dữ liệu mà văn bản không gộp vào (không có trong ``body`` hay ``sections`` nào).

    Nội dung của tệp không được in ra; thường do quên thêm tên tệp vào ``body`` của
    ``document.yaml`` hay ``sections`` của một mục, hoặc tên tệp bị gõ khác. ``dhc.yaml``,
    ``dictionary.yaml`` và thư mục ``comments/`` không thuộc văn bản nên không bị báo.

    Sai:  ``sections/2-6-cong-tac-dan-van.yaml`` có trong thư mục mà không được gộp
    Đúng: ``body: [..., sections/2-6-cong-tac-dan-van.yaml]``
    """
    root = ctx.report.meta.source.file.parent
    for path, read in _not_included_reads(ctx):
        if isinstance(read, SourceFile):
            yield Hit(
                Loc(read, 1, 1),
                f"Tệp “{path.relative_to(root).as_posix()}” không được gộp vào văn bản (không có trong "
                "“body” hay “sections” nào) nên nội dung của nó không được in; hãy thêm tệp vào nơi cần "
                "gộp hoặc xóa tệp.",
            )


@rule("DH029", "unreadable-data-file", "structure", Severity.ERROR)
def unreadable_data_file(ctx: CheckContext) -> Iterator[Hit]:
    """Tệp YAML trong thư mục dữ liệu không đọc được (không phải văn bản UTF-8, sai cú pháp), dù không được gộp.

    Tệp hỏng không bị bỏ qua trong im lặng: có thể đó là một phần của văn bản bị lưu sai.

    Sai:  ``sections/ghi-chu.yaml`` chứa dữ liệu nhị phân
    Đúng: tệp lưu ở dạng văn bản UTF-8, hoặc xóa khỏi thư mục dữ liệu
    """
    root = ctx.report.meta.source.file.parent
    for path, problem in _not_included_reads(ctx):
        if isinstance(problem, Finding):
            yield Hit(
                Loc(SourceFile(path, problem.path, ""), problem.line, problem.column),
                f"Tệp dữ liệu “{path.relative_to(root).as_posix()}” không đọc được: {problem.message}",
            )


def _hits(findings: list[Finding], prose: Prose) -> Iterator[Hit]:
    for finding in findings:
        code = finding.code if finding.code in LOADER_CODES else ""
        yield Hit(Loc(prose.loc.source, finding.line, finding.column), finding.message, code)


def _render(ctx: CheckContext) -> Any:
    from dhcompiler.document import prose_values

    return prose_values(ctx.report)  # shared with the layout when `dhc build` runs both


@rule("DH030", "expression", "structure", Severity.ERROR)
def expression_error(ctx: CheckContext) -> Iterator[Hit]:
    """Biểu thức ``{{ … }}`` trong văn bản phải dẫn tới một giá trị có thật.

    Sai:  ``tăng bình quân {{ ind.tang_truong_gtsx.resul }}/năm``
    Đúng: ``tăng bình quân {{ ind.tang_truong_gtsx.result }}``
    """
    prose_with_markup = [p for p in ctx.prose if "{" in p.text]
    if not prose_with_markup:
        return
    values = _render(ctx)
    for prose in prose_with_markup:
        try:
            values.render(prose.text, prose.loc)
        except DhcError as exc:
            yield from _hits([_at_faulty_expression(values.env, prose, f) for f in exc.findings], prose)


def _at_faulty_expression(env: Any, prose: Prose, finding: Finding) -> Finding:
    """A syntax error is reported at the expression that does not parse, not at the first one."""
    from jinja2 import TemplateSyntaxError

    if finding.code != "DH030":  # a limit (DH051–DH053) is already at its expression; do not parse it
        return finding
    for match in EXPRESSION.finditer(prose.text):
        try:
            env.parse(match.group(0))
        except TemplateSyntaxError:
            loc = prose.at(match.start())
            return dataclasses.replace(finding, line=loc.line, column=loc.column)
    return finding


@rule("DH031", "emphasis", "structure", Severity.ERROR)
def unclosed_emphasis(ctx: CheckContext) -> Iterator[Hit]:
    """Dấu ``*`` (nghiêng) và ``**`` (đậm) phải đóng trong cùng đoạn; viết ``\\*`` cho dấu sao thật.

    Sai:  ``**Một là, giữ vững`` (không đóng)
    Đúng: ``**Một là**, giữ vững``
    """
    from dhcompiler.prose import parse_inline

    for prose in ctx.prose:
        if "*" not in prose.masked:
            continue
        try:
            parse_inline(prose.masked, prose.loc, lambda _key: 0)
        except DhcError as exc:
            yield from _hits(exc.findings, prose)
