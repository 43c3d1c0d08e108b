"""The printable receipt (申請控え): a PDF with the receipt numbers and a QR code."""
