"""The README's table of error codes is the one core/errors.py writes."""

from __future__ import annotations

from pathlib import Path

from core.errors import MEANINGS, ErrorCode, error_code_table, readme_with_error_codes

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_code__has_a_meaning():
    assert set(MEANINGS) == set(ErrorCode)


def test_readme__lists_every_code_as_generated():
    readme = README.read_text(encoding="utf-8")

    assert readme_with_error_codes(readme) == readme, "run `madoguchi error-codes`"
    assert error_code_table() in readme
    assert all(f"`{code.value}`" in readme for code in ErrorCode)
