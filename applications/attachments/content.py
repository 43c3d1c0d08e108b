"""What a file is, judged by its bytes, never by its name or the client's content type."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

#: ISO BMFF brands of HEIC/HEIF still images.
HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def sniff(data: bytes) -> str | None:
    """The content type of a PDF, JPEG, PNG or HEIC file; None for anything else."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff") and _decodes(data):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and _decodes(data):
        return "image/png"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic"
    return None


def _decodes(data: bytes) -> bool:
    """A JPEG or PNG whose header Pillow can read (size within Pillow's bomb limit)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True
