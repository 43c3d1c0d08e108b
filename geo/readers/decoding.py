"""Which encoding a published file is in: a BOM says so, else a codec that decodes it all."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

# Municipal files are UTF-8 or Shift_JIS; cp932 is Shift_JIS as Windows writes it (NEC/IBM
# extensions, ～ as U+FF5E). EUC-JP still turns up in older catalogues.
_CANDIDATES = ("utf-8", "cp932", "euc_jp")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20


def candidate_encodings(path: Path) -> Iterator[str]:
    """The encodings the file could be in, most likely first: the BOM's, else each codec that
    decodes every byte. EUC-JP bytes also decode as cp932 (into nonsense), so the caller
    checks that the header makes sense before trusting one."""
    with path.open("rb") as stream:
        head = stream.read(4)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                yield encoding
                return
        for encoding in _CANDIDATES:
            stream.seek(0)
            if _decodes(stream, encoding):
                yield encoding


def _decodes(stream: io.BufferedIOBase, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(path: Path, encoding: str) -> tuple[io.TextIOWrapper, io.BufferedReader]:
    """The text stream (universal newlines left to the csv module) and its byte stream,
    whose position tells how far the reading has come."""
    binary = path.open("rb")
    return io.TextIOWrapper(binary, encoding=encoding, newline=""), binary
