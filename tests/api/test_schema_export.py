from __future__ import annotations

from pathlib import Path

from api.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_exported_schema_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export_sdl(), (
        "graphql/schema.graphql is out of date: run `madoguchi export-schema`"
    )


def test_every_operation_document_validates_against_the_schema():
    from api.executor import OPERATIONS_DIR
    from api.schema import schema
    from graphql import parse, validate

    documents = sorted(OPERATIONS_DIR.glob("*.graphql"))
    assert documents
    for path in documents:
        errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))
        assert not errors, f"{path.name}: {errors}"
