"""Accept or reject every tracked revision of a .docx: in process on the XML, or through LibreOffice.

The in-process oracle does what Word's "Accept All" does to the text: accept drops w:del and
w:moveFrom content and joins a paragraph whose mark was deleted (or moved away) to the next
one; it unwraps w:ins and w:moveTo; it drops a table row marked deleted (`w:trPr/w:del`), and
a table left without rows. Reject does the opposite. The LibreOffice oracle runs the
real "Accept All" / "Reject All" commands (`.uno:AcceptAllTrackedChanges`) through a Basic
macro in a throwaway profile, and re-saves the file as .docx so its footnotes can be read; the
same run re-saves, as they are, the documents of the input's `as-is` folder (starting
LibreOffice is most of the cost of a run, so the tests hand it all their documents at once).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RUN_LEVEL = {"accept": ("del", "moveFrom"), "reject": ("ins", "moveTo")}
KEPT = {"accept": ("ins", "moveTo"), "reject": ("del", "moveFrom")}
RANGES = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
REVISIONS = ("ins", "del", "moveFrom", "moveTo")


@dataclass
class Texts:
    """What a reader sees: the body's paragraphs (a footnote reference as “^”; a table's cell
    paragraphs among them), then each footnote cited, in the order the body cites them, as its
    paragraphs; and each table of the body as rows of cell texts (the header block's too)."""

    paragraphs: list[str]
    footnotes: list[list[str]]
    tables: list[list[list[str]]] = field(default_factory=list)  # each body table: its rows' cell texts


def read_parts(data: bytes) -> tuple[Any, Any | None]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        names = z.namelist()
        notes = etree.fromstring(z.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
    return document, notes


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _mark(p: Any) -> Any | None:
    """The revision element of a paragraph's mark (w:pPr/w:rPr/w:ins …), or None."""
    props = p.find(f"{W}pPr/{W}rPr")
    if props is None:
        return None
    return next((c for c in props if etree.QName(c).localname in REVISIONS), None)


def _resolve_rows(root: Any, mode: str) -> None:
    """Table rows marked inserted or deleted: dropped (a table left without rows with them) or kept unmarked."""
    for mark in list(root.iter(*(f"{W}{t}" for t in ("ins", "del")))):
        if mark.getparent().tag != f"{W}trPr":
            continue
        if etree.QName(mark).localname in KEPT[mode]:
            mark.getparent().remove(mark)
            continue
        row = mark.getparent().getparent()
        table = row.getparent()
        table.remove(row)
        if table.find(f"{W}tr") is None:
            table.getparent().remove(table)


def resolve(root: Any, mode: str) -> None:
    """Accept (mode "accept") or reject ("reject") every revision under `root`, in place."""
    _resolve_rows(root, mode)
    for element in list(root.iter(*(f"{W}{t}" for t in REVISIONS))):
        if etree.QName(element.getparent()).localname == "rPr":
            continue  # a paragraph mark, handled below
        if etree.QName(element).localname in RUN_LEVEL[mode]:
            element.getparent().remove(element)
        else:
            _unwrap(element)
    for element in list(root.iter(*(f"{W}{t}" for t in RANGES))):
        element.getparent().remove(element)
    for p in list(root.iter(f"{W}p")):
        mark = _mark(p)
        if mark is None:
            continue
        if etree.QName(mark).localname in KEPT[mode]:
            mark.getparent().remove(mark)
            continue
        _join_next(p)


def _join_next(p: Any) -> None:
    """The paragraph mark is gone: what is left of `p` joins the next paragraph."""
    following = p.getnext()
    content = [c for c in p if c.tag != f"{W}pPr"]
    if following is not None and following.tag == f"{W}p":
        props = following.find(f"{W}pPr")
        index = 0 if props is None else following.index(props) + 1
        for child in reversed(content):
            following.insert(index, child)
    elif content:
        raise AssertionError("a removed paragraph mark with text and no paragraph after it")
    p.getparent().remove(p)


def paragraph_text(p: Any) -> str:
    out = []
    for element in p.iter():
        name = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if name in ("t", "delText"):
            out.append(element.text or "")
        elif name == "tab":
            out.append("\t")
        elif name == "br":
            out.append("\n")
        elif name == "footnoteReference":
            out.append("^")
    return "".join(out)


def texts(data: bytes, mode: str | None = None) -> Texts:
    """The text of a .docx as it reads after accepting or rejecting everything (or as is, mode None)."""
    document, notes = read_parts(data)
    if mode:
        resolve(document, mode)
        if notes is not None:
            resolve(notes, mode)
    body = document.find(f"{W}body")
    paragraphs = [paragraph_text(p) for p in body.iter(f"{W}p")]
    by_id = {}
    if notes is not None:
        for note in notes.iter(f"{W}footnote"):
            by_id[note.get(f"{W}id")] = [paragraph_text(p) for p in note.iter(f"{W}p")]
    cited = [ref.get(f"{W}id") for ref in body.iter(f"{W}footnoteReference")]
    return Texts(paragraphs, [by_id[i] for i in cited], [table_text(t) for t in body.iter(f"{W}tbl")])


def table_text(table: Any) -> list[list[str]]:
    """A table's rows, each as its cells' texts (a cell's paragraphs joined by a line break)."""
    return [
        ["\n".join(paragraph_text(p) for p in cell.iter(f"{W}p")) for cell in row.iter(f"{W}tc")]
        for row in table.iter(f"{W}tr")
    ]


def libreoffice_texts(data: bytes) -> Texts:
    """The text of a .docx LibreOffice re-saved: it puts an empty paragraph before a table that
    opens the body (our header block), which is not part of the text."""
    document, _ = read_parts(data)
    body = document.find(f"{W}body")
    found = texts(data)
    if len(body) > 1 and body[0].tag == f"{W}p" and body[1].tag == f"{W}tbl" and not paragraph_text(body[0]):
        found.paragraphs = found.paragraphs[1:]
    return found


def without_note_marks(notes: list[list[str]]) -> list[list[str]]:
    """Footnotes without their own “(n)” mark, which LibreOffice re-saves as “n)”."""
    return [[p.split(")", 1)[1] if i == 0 else p for i, p in enumerate(note)] for note in notes]


def revision_ids(data: bytes) -> list[str]:
    """The w:id of every revision and move range, over the document and its footnotes."""
    ids = []
    for root in read_parts(data):
        if root is not None:
            tags = [f"{W}{t}" for t in (*REVISIONS, "moveFromRangeStart", "moveToRangeStart")]
            ids.extend(e.get(f"{W}id") for e in root.iter(*tags))
    return ids


# --- LibreOffice ---------------------------------------------------------------------------

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Sub Oracle(inDir As String, outDir As String)
  Dim names(500) As String
  Dim n As Integer, i As Integer
  n = ListDocx(inDir, names())
  For i = 0 To n - 1
    Resolve(inDir &amp; "/" &amp; names(i), outDir &amp; "/accept-" &amp; names(i), ".uno:AcceptAllTrackedChanges")
    Resolve(inDir &amp; "/" &amp; names(i), outDir &amp; "/reject-" &amp; names(i), ".uno:RejectAllTrackedChanges")
  Next i
  n = ListDocx(inDir &amp; "/as-is", names())
  For i = 0 To n - 1
    Resolve(inDir &amp; "/as-is/" &amp; names(i), outDir &amp; "/as-is/" &amp; names(i), "")
  Next i
  StarDesktop.terminate()
End Sub

Function ListDocx(folder As String, names() As String) As Integer
  Dim n As Integer
  Dim f As String
  n = 0
  f = Dir(folder &amp; "/*.docx")
  Do While f &lt;&gt; ""
    names(n) = f
    n = n + 1
    f = Dir()
  Loop
  ListDocx = n
End Function

Sub Resolve(source As String, target As String, command As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  Dim save(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, load())
  If command &lt;&gt; "" Then
    dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
    dispatcher.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0, Array())
  End If
  save(0).Name = "FilterName"
  save(0).Value = "MS Word 2007 XML"
  doc.storeToURL(ConvertToURL(target), save())
  doc.close(True)
End Sub
</script:module>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(profile: Path) -> None:
    """Initialise a throwaway LibreOffice profile once and put the oracle macro in it."""
    binary = soffice()
    assert binary is not None
    url = profile.resolve().as_uri()
    subprocess.run(
        ["timeout", "120", binary, f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
        check=True,
        capture_output=True,
    )
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO, encoding="utf-8")


def libreoffice_resolve(profile: Path, in_dir: Path, out_dir: Path, timeout: int = 300) -> None:
    """Accept All and Reject All on every .docx of `in_dir`, in one LibreOffice run:
    `out_dir/accept-NAME.docx` and `out_dir/reject-NAME.docx`; and every .docx of
    `in_dir/as-is` re-saved as it is to `out_dir/as-is/NAME.docx`."""
    binary = soffice()
    assert binary is not None
    (in_dir / "as-is").mkdir(exist_ok=True)
    (out_dir / "as-is").mkdir(parents=True, exist_ok=True)
    macro = f'macro:///Standard.Module1.Oracle("{in_dir.resolve()}","{out_dir.resolve()}")'
    subprocess.run(
        ["timeout", str(timeout), binary, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", macro],
        check=True,
        capture_output=True,
    )
