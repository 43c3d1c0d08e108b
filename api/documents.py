"""Parse, validate and limit-check each distinct document once.

Strawberry's ParserCache and ValidationCache lose their effect when the depth and alias
limiters are added, because each limiter brings a fresh validation rule per request.
Here the rules are built once and the outcome of parse + validate (errors included) is
kept per document text, so a repeated operation costs a dictionary look-up.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document

from graphql import ASTValidationRule, DocumentNode, GraphQLError, specified_rules

MAX_DEPTH = 10
MAX_TOKENS = 2_000
MAX_ALIASES = 30


@dataclass(frozen=True)
class CheckedDocument:
    document: DocumentNode
    errors: list[GraphQLError]


class DocumentCache:
    """A bounded LRU of checked documents, keyed by the query text."""

    def __init__(self, maxsize: int = 1_000) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, CheckedDocument] = OrderedDict()
        self.rules: tuple[type[ASTValidationRule], ...] = (
            *specified_rules,
            depth_validator(MAX_DEPTH, should_ignore=None),
            alias_validator(MAX_ALIASES),
        )

    def get(self, query: str) -> CheckedDocument | None:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
        return entry

    def put(self, query: str, entry: CheckedDocument) -> None:
        self._entries[query] = entry
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)


class CheckedDocuments(SchemaExtension):
    """Serves parse and validation from the cache; fills it on a miss."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        entry = self.cache.get(context.query) if context.query else None
        if entry is not None:
            context.graphql_document = entry.document
        else:
            context.parse_options["max_tokens"] = MAX_TOKENS
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        entry = self.cache.get(context.query) if context.query else None
        if entry is None:
            errors = validate_document(
                context.schema._schema, context.graphql_document, self.cache.rules
            )
            entry = CheckedDocument(context.graphql_document, errors)
            if context.query:
                self.cache.put(context.query, entry)
        context.pre_execution_errors = entry.errors
        yield
