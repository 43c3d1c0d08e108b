"""Fixtures for the geo tests that run the app: import open data through the service."""

from __future__ import annotations

import pytest

from geo import runtime
from geo.importing import ImportSummary, import_file


@pytest.fixture
def import_files(app):
    """await import_files(path, ...) -> summaries; the app's index is refreshed afterwards."""

    async def run(*paths, keep_missing: bool = False) -> list[ImportSummary]:
        summaries = [await import_file(path, keep_missing=keep_missing) for path in paths]
        await runtime.current().refresh()
        return summaries

    return run
