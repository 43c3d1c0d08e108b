"""The receipt (申請控え) as a PDF: each case's receipt number, procedure and status, the
lookup secret, and a QR code per case for the counter. Japanese text uses reportlab's
built-in CID font, so no font file is needed."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from core.clock import local

FONT = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class ReceiptLine:
    receipt_number: str
    procedure_name: str
    department_name: str
    status_name: str
    fee_yen: int


def qr_payload(receipt_number: str, secret: str) -> str:
    """What the counter's scanner reads: the case's receipt number and the lookup secret."""
    return f"MADOGUCHI:{receipt_number}:{secret}"


def qr_svg(payload: str) -> str:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="svg", scale=4, border=2)
    return out.getvalue().decode()


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(payload, error="m").matrix
    cell = size / len(matrix)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                canvas.rect(
                    x + column * cell, y + size - (row + 1) * cell, cell, cell, stroke=0, fill=1
                )


def render(
    *,
    title: str,
    labels: dict[str, str],
    submitted_at: datetime,
    secret: str,
    lines: list[ReceiptLine],
) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    height = A4[1]
    y = height - 25 * mm
    canvas.setFont(FONT, 18)
    canvas.drawString(20 * mm, y, title)
    canvas.setFont(FONT, 10)
    y -= 10 * mm
    canvas.drawString(20 * mm, y, f"{labels['submitted']}: {local(submitted_at):%Y-%m-%d %H:%M}")
    y -= 6 * mm
    canvas.drawString(20 * mm, y, f"{labels['secret']}: {secret}")
    y -= 12 * mm
    for line in lines:
        if y < 45 * mm:
            canvas.showPage()
            y = height - 25 * mm
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, y, f"{labels['receipt']} {line.receipt_number}")
        canvas.setFont(FONT, 10)
        canvas.drawString(20 * mm, y - 6 * mm, line.procedure_name)
        canvas.drawString(20 * mm, y - 12 * mm, f"{line.department_name} / {line.status_name}")
        if line.fee_yen:
            canvas.drawString(20 * mm, y - 18 * mm, f"{labels['fee']}: {line.fee_yen:,}円")
        _draw_qr(canvas, qr_payload(line.receipt_number, secret), 160 * mm, y - 22 * mm, 28 * mm)
        y -= 34 * mm
    canvas.setFont(FONT, 8)
    canvas.drawString(20 * mm, 15 * mm, labels["footer"])
    canvas.save()
    return out.getvalue()
