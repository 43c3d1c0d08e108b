"""Parse, validate and limit-check each distinct document once; prepare each operation once.

Strawberry's ParserCache and ValidationCache lose their effect when the depth and alias
limiters are added, because each limiter brings a fresh validation rule per request.
Here the rules are built once and the outcome of parse + validate (errors included) is
kept per document text, together with what execution derives from the document: the
selected operation, its fragments, and (api/prepared/operations.py) the collected selection sets
and completion plans. A repeated operation costs dictionary look-ups.

Every derivation is counted in api/prepared/derivations.py.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document

from api.prepared.derivations import DERIVATIONS
from api.prepared.operations import PreparedOperation, prepare_operation
from core.text_input import control_character_path, control_characters_error
from graphql import (
    ArgumentNode,
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    ObjectFieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    get_named_type,
    parse,
    specified_rules,
    type_from_ast,
)

MAX_DEPTH = 10
MAX_TOKENS = 2_000
MAX_ALIASES = 30
MAX_DOCUMENTS = 1_000
# The standard introspection query (graphql-core's, as GraphiQL and codegen send) nests 15 deep.
MAX_INTROSPECTION_DEPTH = 15


class NoControlCharacters(ASTValidationRule):
    """String literals in a document follow the same rule as text in variables."""

    argument: str | None = None
    object_fields: tuple[str, ...] = ()

    def enter_argument(self, node: ArgumentNode, *_args: object) -> None:
        self.argument = node.name.value

    def leave_argument(self, *_args: object) -> None:
        self.argument = None

    def enter_object_field(self, node: ObjectFieldNode, *_args: object) -> None:
        self.object_fields = (*self.object_fields, node.name.value)

    def leave_object_field(self, *_args: object) -> None:
        self.object_fields = self.object_fields[:-1]

    def enter_string_value(self, node: StringValueNode, *_args: object) -> None:
        if control_character_path(node.value) is not None:
            field = ".".join(self.object_fields) or self.argument
            cause = control_characters_error(field)
            self.report_error(GraphQLError(cause.message_key, node, original_error=cause))


class IntrospectionDepth(ASTValidationRule):
    """The depth limit for introspection, which the operation depth limit leaves out."""

    def enter_field(self, node: FieldNode, *_args: object) -> object:
        if node.name.value not in ("__schema", "__type"):
            return None
        if self._depth(node.selection_set, frozenset()) + 1 > MAX_INTROSPECTION_DEPTH:
            self.report_error(
                GraphQLError(
                    f"introspection exceeds maximum depth of {MAX_INTROSPECTION_DEPTH}", node
                )
            )
        return self.SKIP

    def _depth(self, selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selections is None:
            return 0
        deepest = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                depth = 1 + self._depth(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:
                    continue
                depth = self._depth(fragment.selection_set, seen | {name})
            else:
                depth = self._depth(selection.selection_set, seen)  # type: ignore[attr-defined]
            deepest = max(deepest, depth)
            if deepest > MAX_INTROSPECTION_DEPTH:
                break
        return deepest


def variables_error(
    variables: dict | None,
    document: DocumentNode | None = None,
    schema: GraphQLSchema | None = None,
) -> GraphQLError | None:
    """Text with control characters anywhere in the variables, as a coded error.

    The field is named as the domains name theirs: the fields of an input object (the
    form) stand at the top, so `$input.description` is `description`.
    """
    path = control_character_path(variables) if variables else None
    if path is None:
        return None
    variable, _, rest = path.partition(".")
    if rest and variable in _input_object_variables(document, schema):
        path = rest
    cause = control_characters_error(path)
    return GraphQLError(cause.message_key, original_error=cause)


def _input_object_variables(document: DocumentNode | None, schema: GraphQLSchema | None) -> set:
    if document is None or schema is None:
        return set()
    names = set()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            named = type_from_ast(schema, variable.type)
            if isinstance(named and get_named_type(named), GraphQLInputObjectType):
                names.add(variable.variable.name.value)
    return names


class CheckedDocument:
    """A parsed document, its validation errors, and its operations as they are asked for."""

    def __init__(self, document: DocumentNode, errors: list[GraphQLError]) -> None:
        self.document = document
        self.errors = errors
        self._operations: dict[str | None, PreparedOperation] = {}

    def operation(self, schema: GraphQLSchema, name: str | None) -> PreparedOperation | None:
        """The operation `name` selects (as Strawberry selects it), or None when none does."""
        prepared = self._operations.get(name)
        if prepared is None and not self.errors:
            prepared = prepare_operation(schema, self.document, name)
            if prepared is not None:  # only names the document has: the dict stays small
                self._operations[name] = prepared
        return prepared


class DocumentCache:
    """A bounded LRU of checked documents, keyed by the query text."""

    def __init__(self, maxsize: int = MAX_DOCUMENTS, *, introspection: bool = True) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, CheckedDocument] = OrderedDict()
        self.rules: tuple[type[ASTValidationRule], ...] = (
            *specified_rules,
            depth_validator(MAX_DEPTH, should_ignore=None),
            alias_validator(MAX_ALIASES),
            IntrospectionDepth,
            NoControlCharacters,
            *(() if introspection else (NoSchemaIntrospectionCustomRule,)),
        )

    def clear(self) -> None:
        self._entries.clear()

    def get(self, query: str) -> CheckedDocument | None:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
        return entry

    def check(self, schema: GraphQLSchema, query: str) -> CheckedDocument | None:
        """The checked document for `query`; None when it does not parse (not kept)."""
        entry = self.get(query)
        if entry is None:
            try:
                document = parse(query, max_tokens=MAX_TOKENS)
            except GraphQLError:
                return None  # the regular path reports it
            finally:
                DERIVATIONS.parsed += 1
            entry = self.validated(schema, query, document)
        return entry

    def validated(
        self, schema: GraphQLSchema, query: str, document: DocumentNode
    ) -> CheckedDocument:
        errors = validate_document(schema, document, self.rules)
        DERIVATIONS.validated += 1
        entry = CheckedDocument(document, errors)
        self._entries[query] = entry
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return entry


class CheckedDocuments(SchemaExtension):
    """Strawberry's own execution path (execute_sync, subscriptions) served from the cache."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        entry = self.cache.get(context.query) if context.query else None
        if entry is not None:
            context.graphql_document = entry.document
        else:
            context.parse_options["max_tokens"] = MAX_TOKENS
            DERIVATIONS.parsed += 1
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        errors = self._errors(context)
        if not errors:
            bad_text = variables_error(
                context.variables, context.graphql_document, context.schema._schema
            )
            errors = [bad_text] if bad_text is not None else errors
        context.pre_execution_errors = errors
        yield

    def _errors(self, context) -> list[GraphQLError]:
        schema = context.schema._schema
        if not context.query:  # a document given without text: nothing to key it by
            DERIVATIONS.validated += 1
            return validate_document(schema, context.graphql_document, self.cache.rules)
        entry = self.cache.get(context.query)
        if entry is None:
            entry = self.cache.validated(schema, context.query, context.graphql_document)
        return entry.errors
