"""Command line: parse arguments, call the stages, turn the result into an exit code.

No `from __future__ import annotations` here: Typer reads the parameters' annotations on every
run, and string annotations would each be compiled and evaluated again (a few hundred `eval`
calls, several milliseconds of each start-up).
"""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from dhcompiler import __version__
from dhcompiler.cli_vi import install as install_vietnamese

install_vietnamese()

app = typer.Typer(
    help="dhc — biên dịch Báo cáo chính trị từ dữ liệu YAML sang .docx và Markdown.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[Path, typer.Argument(help="Thư mục dữ liệu (mặc định ./data).")]
WATCH_HELP = "Chạy tiếp và làm lại mỗi khi một tệp dữ liệu hoặc mẫu thay đổi; Ctrl-C để thoát."


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dhc {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát.")
    ] = False,
) -> None:
    """dhc — biên dịch Báo cáo chính trị từ dữ liệu YAML."""


@app.command()
def build(
    data_dir: DataDir = Path("data"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả.")] = Path("build"),
    format: Annotated[
        str, typer.Option("--format", "-f", help="Các định dạng, cách nhau bởi dấu phẩy: md,docx,pdf.")
    ] = "md,docx",
    templates: Annotated[Path | None, typer.Option("--templates", help="Thư mục mẫu trình bày.")] = None,
    reference_doc: Annotated[
        Path | None, typer.Option("--reference-doc", help="Tài liệu .docx mẫu chứa các kiểu trình bày.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cả tệp không do dhc tạo ra.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Chỉ in số cảnh báo, không in từng cảnh báo.")] = False,
    watch: Annotated[bool, typer.Option("--watch", "-w", help=WATCH_HELP)] = False,
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document", "-d", help="Văn bản cần tạo: report, resolution, appendix, outline hoặc all (lặp lại được)."
        ),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", help="Đề cương: số cấp tiêu đề (0: mọi cấp).", min=0)] = 0,
    summaries: Annotated[bool, typer.Option("--summaries", help="Đề cương: in cả tóm tắt (summary) từng mục.")] = False,
    choose: Annotated[
        list[str] | None,
        typer.Option("--choose", help="Chọn phương án: KHÓA=PHƯƠNG_ÁN, ví dụ theme=pa2 (lặp lại được)."),
    ] = None,
) -> None:
    """Biên dịch báo cáo (và các văn bản khác từ cùng dữ liệu) sang Markdown và .docx."""
    from dhcompiler.build import FORMATS, build_modules, build_report
    from dhcompiler.documents import ALL, DocumentOptions, document_types
    from dhcompiler.entry import freeze_imports
    from dhcompiler.findings import DhcError
    from dhcompiler.report import print_build_summary, print_findings
    from dhcompiler.templates import template_dir

    formats = tuple(f.strip() for f in format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        typer.echo(f"Định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; chọn trong md, docx, pdf.", err=True)
        raise typer.Exit(2)
    names = [n.strip() for d in document or [] for n in d.split(",") if n.strip()]
    known = [*document_types(template_dir(templates)), ALL]
    if any(n not in known for n in names):
        unknown_doc = next(n for n in names if n not in known)
        typer.echo(f"Không có loại văn bản “{unknown_doc}”; chọn trong: {', '.join(known)}.", err=True)
        raise typer.Exit(2)
    if any("=" not in c for c in choose or []):
        typer.echo("--choose cần dạng KHÓA=PHƯƠNG_ÁN, ví dụ --choose theme=pa2.", err=True)
        raise typer.Exit(2)
    choices = dict(c.split("=", 1) for c in choose or [])
    options = DocumentOptions(depth, summaries, {k.strip(): v.strip() for k, v in choices.items()})
    freeze_imports(*build_modules(formats), one_shot=not watch)
    if watch:
        from dhcompiler.watch import watch_build

        raise typer.Exit(watch_build(data_dir, out, formats, template_dir(templates), reference_doc, force))
    try:
        result = build_report(data_dir, out, formats, template_dir(templates), reference_doc, force, names, options)
    except DhcError as exc:
        print_findings(exc.findings)
        raise typer.Exit(1) from None
    print_findings(result.warnings, details=not quiet)
    print_build_summary(result)


CHECK_FORMAT_HELP = "Định dạng: auto, text, json, github (auto chọn github trong GitHub Actions)."


@app.command()
def check(
    data_dir: DataDir = Path("data"),
    format: Annotated[str, typer.Option("--format", "-f", help=CHECK_FORMAT_HELP)] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Có cảnh báo thì cũng thoát với mã 1.")] = False,
    watch: Annotated[bool, typer.Option("--watch", "-w", help=WATCH_HELP)] = False,
    final: Annotated[
        bool, typer.Option("--final", help="Bản cuối cùng: phương án chưa chọn, ý kiến góp ý chưa trả lời là lỗi.")
    ] = False,
) -> None:
    """Kiểm tra dữ liệu như một người đọc kỹ: báo mọi lỗi và cảnh báo cùng một lúc."""
    import os

    from dhcompiler.checks.output import FORMATS, read_text, render_result
    from dhcompiler.checks.run import check_data_dir
    from dhcompiler.entry import freeze_imports

    if format not in FORMATS:
        typer.echo(f"Định dạng không hỗ trợ: {format}; chọn trong {', '.join(FORMATS)}.", err=True)
        raise typer.Exit(2)
    freeze_imports("dhcompiler.resolve", "dhcompiler.document", one_shot=not watch)
    if watch and data_dir.is_dir():
        from dhcompiler.watch import watch_check

        tty = sys.stdout.isatty()
        raise typer.Exit(watch_check(data_dir, strict, lambda f: render_result(f, format, os.environ, tty, read_text)))
    result = check_data_dir(data_dir, strict, final)
    if result.usage_error:
        typer.echo(result.usage_error, err=True)
    else:
        sys.stdout.write(render_result(result.findings, format, os.environ, sys.stdout.isatty(), read_text))
    raise typer.Exit(result.return_code)


COMMENTS_FORMAT_HELP = "Định dạng: text (mặc định), json, docx hoặc md (báo cáo tiếp thu, giải trình; cần --out)."


@app.command()
def comments(
    data_dir: DataDir = Path("data"),
    open_only: Annotated[bool, typer.Option("--open", help="Chỉ các ý kiến chưa xử lý.")] = False,
    source: Annotated[str | None, typer.Option("--from", help="Chỉ ý kiến của cơ quan, đơn vị này.")] = None,
    round_: Annotated[str | None, typer.Option("--round", help="Chỉ ý kiến về bản dự thảo này.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Chỉ ý kiến về mục (khóa) này.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=COMMENTS_FORMAT_HELP)] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Tệp kết quả (với docx, md).")] = None,
    templates: Annotated[Path | None, typer.Option("--templates", help="Thư mục mẫu trình bày.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cả tệp không do dhc tạo ra.")] = False,
) -> None:
    """Liệt kê ý kiến góp ý với số mục hiện hành, hoặc viết báo cáo tiếp thu, giải trình (.docx)."""
    from dhcompiler.comments_report import (
        DOCUMENT_FORMATS,
        Filters,
        comments_json,
        comments_text,
        current_review,
        entries,
        write_comments_document,
    )
    from dhcompiler.findings import DhcError
    from dhcompiler.report import print_findings
    from dhcompiler.templates import template_dir

    if format not in ("text", "json", *DOCUMENT_FORMATS):
        typer.echo(f"Định dạng không hỗ trợ: {format}; chọn trong text, json, docx, md.", err=True)
        raise typer.Exit(2)
    if format in DOCUMENT_FORMATS and out is None:
        typer.echo(f"Định dạng {format} cần --out TỆP, ví dụ --out build/tiep-thu-giai-trinh.{format}.", err=True)
        raise typer.Exit(2)
    if not data_dir.is_dir():
        typer.echo(f"Không tìm thấy thư mục dữ liệu “{data_dir}”.", err=True)
        raise typer.Exit(2)
    filters = Filters(open_only, source, round_, on)
    try:
        if out is not None and format in DOCUMENT_FORMATS:
            print_findings(write_comments_document(data_dir, out, format, template_dir(templates), filters, force))
            typer.echo(f"Đã ghi {out}")
            return
        listed = entries(current_review(data_dir, template_dir(templates)), filters)
    except DhcError as exc:
        print_findings(exc.findings)
        raise typer.Exit(1) from None
    sys.stdout.write(comments_json(listed) if format == "json" else comments_text(listed))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="Mã quy tắc cần xem chi tiết, ví dụ DH402.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="In trang tài liệu docs/rules.md.")] = False,
) -> None:
    """Liệt kê các quy tắc kiểm tra, hoặc mô tả đầy đủ một quy tắc."""
    from dhcompiler.checks import RULES
    from dhcompiler.checks.output import rules_markdown, rules_text

    if code is not None and code.upper() not in RULES:
        typer.echo(f"Không có quy tắc nào mang mã “{code}”.", err=True)
        raise typer.Exit(2)
    sys.stdout.write(rules_markdown(RULES) if markdown else rules_text(RULES, code and code.upper()))


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi các lược đồ JSON.")] = Path("schemas"),
) -> None:
    """Ghi lược đồ JSON của mọi loại tệp dữ liệu, để trình soạn thảo kiểm tra khi gõ."""
    from dhcompiler.schema import write_schemas
    from dhcompiler.write import os_reason

    try:
        written = write_schemas(out)
    except OSError as exc:
        typer.echo(f"{exc.filename or out}:1:1: [lỗi] Không ghi được lược đồ: {os_reason(exc)}. (DH043)", err=True)
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(f"Đã ghi {path}")


@app.command("import")
def import_draft(
    file: Annotated[Path, typer.Argument(help="Bản thảo cần nhập: .docx, .md hoặc .txt (xuất từ Word).")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Thư mục dữ liệu sẽ tạo (bảng góp ý: thư mục dữ liệu của dự thảo được góp ý)."
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè thư mục dữ liệu đã có.")] = False,
) -> None:
    """Nhập bản thảo có sẵn thành dữ liệu YAML, rồi liệt kê những chỗ cần xem lại."""
    from dhcompiler.findings import DhcError
    from dhcompiler.importers import import_file
    from dhcompiler.importers.comments import format_comment_import, import_comment_table, is_comment_table
    from dhcompiler.importers.files import write_import
    from dhcompiler.importers.report import format_report
    from dhcompiler.report import print_findings

    try:
        if is_comment_table(file):  # a comment table goes into the comments/ of the draft in `out`
            target, comments = import_comment_table(file, out, force)
            print_findings(comments.findings)
            typer.echo(format_comment_import(target, comments))
            return
        result = import_file(file)
        write_import(result, out, force)
    except DhcError as exc:
        print_findings(exc.findings)
        raise typer.Exit(1) from None
    typer.echo(format_report(result, out))


DIFF_FORMAT_HELP = (
    "Định dạng: text (mặc định), json, md; docx (bản mới có đánh dấu sửa đổi), "
    "table (bảng so sánh .docx), table-md (bảng so sánh Markdown)."
)


@app.command("diff")
def diff(
    old: Annotated[
        str | None, typer.Argument(help="Bản cũ: thư mục dữ liệu, phiên bản git hoặc bản thảo (mặc định HEAD).")
    ] = None,
    new: Annotated[
        str | None, typer.Argument(help="Bản mới: thư mục dữ liệu, phiên bản git hoặc bản thảo (mặc định ./data).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=DIFF_FORMAT_HELP)] = "text",
    stat: Annotated[bool, typer.Option("--stat", help="Chỉ in số chữ, mục, chú thích, chỉ tiêu thay đổi.")] = False,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Thoát với mã 1 khi hai bản khác nhau.")] = False,
    context: Annotated[
        int | None, typer.Option("--context", "-U", min=0, help="Số chữ giữ lại quanh mỗi thay đổi (mặc định: cả câu).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Ghi kết quả vào tệp này.")] = None,
    data: Annotated[Path, typer.Option("--data", help="Thư mục dữ liệu trong cây làm việc.")] = Path("data"),
    templates: Annotated[Path | None, typer.Option("--templates", help="Thư mục mẫu trình bày.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp --out không do dhc tạo ra.")] = False,
    author: Annotated[
        str | None, typer.Option("--author", help="Người sửa ghi trên các đánh dấu sửa đổi (docx).")
    ] = None,
    old_label: Annotated[str | None, typer.Option("--old-label", help="Tên bản cũ trong bảng so sánh.")] = None,
    new_label: Annotated[str | None, typer.Option("--new-label", help="Tên bản mới trong bảng so sánh.")] = None,
    notes: Annotated[
        Path | None, typer.Option("--notes", help="Tệp YAML lý do, giải trình theo khóa mục (bảng so sánh).")
    ] = None,
) -> None:
    """So sánh hai bản dự thảo theo mục, chú thích và chỉ tiêu (không tính số thứ tự đánh lại)."""
    from dhcompiler.diff.documents import DocumentOptions
    from dhcompiler.diff.output import run_diff_command

    documents = DocumentOptions(author, old_label, new_label, notes)
    code = run_diff_command(old, new, format, stat, exit_code, context, out, data, templates, force, documents)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point; a defect of dhc itself is reported without a traceback."""
    try:
        app(prog_name="dhc")
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last line of defence: never show a Python traceback
        if os.environ.get("DHC_DEBUG"):
            raise
        typer.echo(
            f"Lỗi nội bộ của dhc ({type(exc).__name__}: {exc}). Hãy báo lỗi này kèm dữ liệu gây ra nó; "
            "đặt DHC_DEBUG=1 để xem chi tiết. (DH599)",
            err=True,
        )
        sys.exit(1)
