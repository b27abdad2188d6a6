"""Command line: parse arguments, call the stages, turn the result into an exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dhcompiler import __version__

app = typer.Typer(
    help="dhc — biên dịch Báo cáo chính trị từ dữ liệu YAML sang .docx và Markdown.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[Path, typer.Argument(help="Thư mục dữ liệu (mặc định ./data).")]


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
    format: Annotated[str, typer.Option("--format", "-f", help="Các định dạng, cách nhau bởi dấu phẩy: md,docx,pdf.")] = "md,docx",
    templates: Annotated[Path | None, typer.Option("--templates", help="Thư mục mẫu trình bày.")] = None,
    reference_doc: Annotated[Path | None, typer.Option("--reference-doc", help="Tài liệu .docx mẫu chứa các kiểu trình bày.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cả tệp không do dhc tạo ra.")] = False,
) -> None:
    """Biên dịch báo cáo sang Markdown và .docx."""
    from dhcompiler.build import FORMATS, build_report
    from dhcompiler.findings import DhcError
    from dhcompiler.report import print_build_summary, print_findings
    from dhcompiler.templates import template_dir

    formats = tuple(f.strip() for f in format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        typer.echo(f"Định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; chọn trong md, docx, pdf.", err=True)
        raise typer.Exit(2)
    try:
        result = build_report(data_dir, out, formats, template_dir(templates), reference_doc, force)
    except DhcError as exc:
        print_findings(exc.findings)
        raise typer.Exit(1) from None
    print_build_summary(result)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
