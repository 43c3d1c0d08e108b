"""XML that comes in (CAP, JMA XML): parsed with defusedxml, DTDs and entities refused."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException


class XmlRefused(ValueError):
    """Too large, not well-formed, or unsafe (a DTD, entities)."""


def parse_xml(data: bytes, max_bytes: int) -> Element:
    if len(data) > max_bytes:
        raise XmlRefused(f"the document is larger than {max_bytes} bytes")
    try:
        return SafeTree.fromstring(data, forbid_dtd=True)
    except SafeTree.ParseError as error:
        raise XmlRefused(f"not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        raise XmlRefused(f"unsafe XML refused: {error!r}") from None
