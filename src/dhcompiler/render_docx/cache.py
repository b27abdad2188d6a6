"""Prepared reference documents kept across runs, by content: $XDG_CACHE_HOME/dhc/docx.

An entry holds plain values (bytes, strings, numbers, tuples, lists, dicts: marshal, no
code) under the SHA-256 of the reference's bytes, stamped with what shaped it: the source
of the code that prepares and writes a reference, and the versions of lxml, libxml2, zlib
and Python. An entry that is missing, unreadable or stamped otherwise is not used; one
that cannot be written is not kept. Either way the reference is prepared again, with the
same result: the cache never changes a byte of output and is safe to delete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

from dhcompiler.templates import cache_dir

# The code whose behaviour an entry records: a change to any of these files is a new stamp.
_HERE = Path(__file__).resolve().parent
_SOURCES = (_HERE / "ns.py", _HERE / "package.py", _HERE / "reference.py", _HERE.parent / "write.py")


def cached(raw: bytes) -> Any | None:
    """The value kept for the reference document `raw` by this very code, or None."""
    path = _entry(raw)
    if path is None:
        return None
    try:
        stamp, value = marshal.loads(path.read_bytes())
    except Exception:  # missing, unreadable, cut short or not an entry at all
        return None
    return value if stamp == _stamp() else None


def keep(raw: bytes, value: Any) -> None:
    """Keep `value` for the reference document `raw`, if the cache directory can be written."""
    path = _entry(raw)
    if path is None:
        return
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".entry-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((_stamp(), value)))
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


def _entry(raw: bytes) -> Path | None:
    directory = cache_dir()
    if directory is None or _stamp() is None:
        return None
    return directory / "docx" / f"{hashlib.sha256(raw).hexdigest()}.marshal"


@functools.cache
def _stamp() -> str | None:
    """What shaped an entry; None (no cache) when the code's source cannot be read."""
    digest = hashlib.sha256()
    try:
        for source in _SOURCES:
            digest.update(source.read_bytes())
    except OSError:
        return None
    versions = (etree.LXML_VERSION, etree.LIBXML_VERSION, zlib.ZLIB_RUNTIME_VERSION, sys.version_info[:3])
    return f"{digest.hexdigest()} {versions}"
