"""The real alert messages in ../shared/data/alerts (read in place, never copied)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve()
# ../shared/data beside the checkout (a worktree one level deeper finds it one level up).
_CANDIDATES = [
    Path(os.environ.get("MADOGUCHI_OPEN_DATA", _HERE.parents[3] / "shared" / "data")),
    _HERE.parents[4] / "shared" / "data",
]
ROOT = next((c / "alerts" for c in _CANDIDATES if (c / "alerts").is_dir()), _CANDIDATES[0])
CAP_DIR = ROOT / "cap"
JMA_DIR = ROOT / "jmaxml"
XSD = CAP_DIR / "schema" / "CAP-v1.2.xsd"

CAP_FILES = sorted(p.name for p in CAP_DIR.glob("*.xml")) if CAP_DIR.is_dir() else []
JMA_FILES = sorted(p.name for p in JMA_DIR.glob("*.xml")) if JMA_DIR.is_dir() else []

needs_samples = pytest.mark.skipif(not CAP_FILES, reason="../shared/data/alerts is not there")


def cap_file(name: str) -> bytes:
    return (CAP_DIR / name).read_bytes()


def jma_file(name: str) -> bytes:
    return (JMA_DIR / name).read_bytes()


@cache
def cap_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))
