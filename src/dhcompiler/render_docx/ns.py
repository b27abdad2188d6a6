"""XML namespaces of the parts dhc writes, and qualified names in lxml's {uri}name form."""

from __future__ import annotations

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
W_NSMAP = {"w": NS["w"]}


def qn(tag: str) -> str:
    """The qualified name of a prefixed one: "w:p" → "{http://…/main}p"."""
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def nsdecls(*prefixes: str) -> str:
    """The namespace declarations of `prefixes`, as written in a start tag."""
    return " ".join(f'xmlns:{prefix}="{NS[prefix]}"' for prefix in prefixes)
