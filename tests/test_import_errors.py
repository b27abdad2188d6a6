"""Garbage in: a clear message with a DH60x code, exit 1, no traceback, and nothing written."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhcompiler.cli import app
from dhcompiler.findings import DhcError
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from seedtext import SEED


def _random_bytes(size: int) -> bytes:
    return bytes((i * 7919 + 13) % 256 for i in range(size))


def _zip_that_is_not_a_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


GARBAGE = {
    "empty file": ("draft.txt", b"", "DH601"),
    "only blank lines": ("draft.txt", b"\r\n  \r\n\t\r\n", "DH601"),
    "binary file": ("draft.txt", b"\x89PNG\r\n\x1a\n" + _random_bytes(2000), "DH602"),
    "bytes that decode as nothing sensible": ("draft.md", _random_bytes(3000), "DH602"),
    "text without any structure": ("draft.txt", "Kính gửi các đồng chí.\nXin cảm ơn.\n".encode(), "DH604"),
    "not a zip, named .docx": ("draft.docx", b"This is not a Word document at all.", "DH607"),
    "a zip that is not a docx": ("draft.docx", _zip_that_is_not_a_docx(), "DH607"),
    "an old binary .doc": ("draft.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "DH603"),
}


@pytest.mark.parametrize("name", list(GARBAGE))
def test_garbage_gives_a_clear_message_and_writes_nothing(tmp_path, name):
    file_name, content, code = GARBAGE[name]
    source = tmp_path / file_name
    source.write_bytes(content)
    out = tmp_path / "data"
    result = CliRunner().invoke(app, ["import", str(source), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"({code})" in result.output and "Traceback" not in result.output
    assert f"{source}:" in result.output  # the message says which file
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [file_name]


def test_a_missing_file_is_reported(tmp_path):
    result = CliRunner().invoke(app, ["import", str(tmp_path / "none.txt"), "--out", str(tmp_path / "d")])
    assert result.exit_code == 1 and "(DH600)" in result.output


def test_an_existing_data_directory_is_kept_unless_forced(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.txt").write_text("giữ lại", encoding="utf-8")
    refused = CliRunner().invoke(app, ["import", str(SEED), "--out", str(out)])
    assert refused.exit_code == 1 and "(DH605)" in refused.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    forced = CliRunner().invoke(app, ["import", str(SEED), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in out.iterdir()) == ["document.yaml", "indicators.yaml", "sections"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no staging directory left behind


def test_an_empty_existing_directory_is_used(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    result = CliRunner().invoke(app, ["import", str(SEED), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "document.yaml").is_file()


def test_data_that_fails_validation_is_never_written(tmp_path):
    result = import_file(SEED)
    closing = next(name for name in result.files if name.endswith("ket-luan.yaml"))
    result.files[closing] = result.files[closing].replace("kind: closing", "kind: closing\nkind: part")
    with pytest.raises(DhcError) as caught:
        write_import(result, tmp_path / "data")
    codes = [f.code for f in caught.value.findings]
    assert codes[0] == "DH606" and "DH002" in codes
    located = caught.value.findings[1]
    assert located.path == os.path.join(str(tmp_path / "data"), closing) and located.line == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_out_must_be_a_directory(tmp_path):
    out = tmp_path / "data.yaml"
    out.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(SEED), "--out", str(out)])
    assert result.exit_code == 1 and "(DH605)" in result.output
    assert out.read_text(encoding="utf-8") == "x"


def test_import_help_is_in_vietnamese():
    result = CliRunner().invoke(app, ["import", "--help"])
    assert result.exit_code == 0 and "Nhập bản thảo" in result.output and "--force" in result.output


def test_garbage_file_paths_keep_the_working_directory_clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("draft.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["import", "draft.txt", "--out", "x"])
    assert result.exit_code == 1 and sorted(os.listdir(".")) == ["draft.txt"]
