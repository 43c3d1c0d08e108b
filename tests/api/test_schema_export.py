from __future__ import annotations

from pathlib import Path

from api.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_exported_schema_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export_sdl(), (
        "graphql/schema.graphql is out of date: run `madoguchi export-schema`"
    )


def test_every_operation_document_validates_against_the_schema():
    from api.executor import FRAGMENTS_DIR, OPERATIONS_DIR, operation
    from api.schema import schema
    from graphql import parse, validate

    documents = sorted(OPERATIONS_DIR.glob("*.graphql"))
    assert documents
    used: set[str] = set()
    for path in documents:
        document = parse(operation(path.stem))
        errors = validate(schema._schema, document)
        assert not errors, f"{path.name}: {errors}"
        used |= {d.name.value for d in document.definitions if d.kind == "fragment_definition"}
    shared = {path.stem for path in FRAGMENTS_DIR.glob("*.graphql")}
    assert shared <= used, f"shared fragments no document uses: {shared - used}"


def test_an_operation_gets_the_shared_fragments_it_spreads_once():
    from api.executor import operation

    text = operation("SubmitApplication")  # spreads ApplicationFields, which spreads CaseFields
    assert text.count("fragment ApplicationFields on") == 1
    assert text.count("fragment CaseFields on") == 1
    assert "fragment CaseDetail" not in text
