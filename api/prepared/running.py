"""`Schema.execute` for a checked, valid document: Strawberry's steps, without the
per-request machinery that only extensions need (an extension runner with its hooks,
a middleware manager, an execution context), since the app's one extension has done its
work when the document was first checked.

The steps and outcomes are Strawberry's: variables coerced as graphql-core coerces them
(api/prepared/variables.py), errors handed to the schema's `process_errors`, an unexpected
exception turned into an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.types import ExecutionResult

from api.prepared.documents import variables_error
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, default_field_resolver, default_type_resolver

if TYPE_CHECKING:
    import strawberry

    from api.prepared.execution import PlannedExecutor
    from api.prepared.operations import PreparedOperation


async def execute_prepared(
    schema: strawberry.Schema,
    operation: PreparedOperation,
    *,
    variable_values: dict[str, Any] | None,
    context_value: Any,
    root_value: Any,
    operation_extensions: dict[str, Any] | None,
) -> ExecutionResult:
    try:
        result = _start(
            schema, operation, variable_values, context_value, root_value, operation_extensions
        )
        if optimized_is_awaitable(result):
            result = await result
    except Exception as error:  # noqa: BLE001 - reported like Strawberry reports it
        coerced = error if isinstance(error, GraphQLError) else None
        result = GraphQLExecutionResult(
            None, [coerced or GraphQLError(str(error), original_error=error)]
        )
    if result.errors:
        raised = list(result.errors)
        execution_context = schema._create_execution_context(
            query=None,
            allowed_operation_types=(),
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_extensions=operation_extensions,
        )
        schema._process_errors(result.errors, execution_context)
        _forget_tracebacks(raised)
    return ExecutionResult(data=result.data, errors=result.errors, extensions={})


def _forget_tracebacks(errors: list[GraphQLError]) -> None:
    """Once errors are logged and presented, their tracebacks only hold frames, and through
    them the executor that holds the errors: a cycle that only the garbage collector frees.
    An answer with an error (SLOT_TAKEN for 990 of 1,000 holds in the 9:00 rush) would
    otherwise leave one per request and bring on full collections of the whole heap."""
    for error in errors:
        error.__traceback__ = None
        if error.original_error is not None:
            error.original_error.__traceback__ = None


def _start(
    schema: strawberry.Schema,
    operation: PreparedOperation,
    variable_values: dict[str, Any] | None,
    context_value: Any,
    root_value: Any,
    operation_extensions: dict[str, Any] | None,
) -> Any:
    bad_text = variables_error(variable_values, operation.document, schema._schema)
    if bad_text is not None:
        return GraphQLExecutionResult(None, [bad_text])
    core = schema._schema
    variables = operation.coerce_variables(variable_values or {})
    if isinstance(variables, list):
        return GraphQLExecutionResult(None, variables)
    executor_class = cast("type[PlannedExecutor]", schema.execution_context_class)
    executor = executor_class(
        core,
        operation.fragment_definitions,
        operation.fragments,
        root_value,
        context_value,
        operation.node,
        variables,
        default_field_resolver,
        default_type_resolver,
        default_field_resolver,
        is_awaitable=optimized_is_awaitable,
        operation_extensions=operation_extensions,
        collection=operation.collection_for(variables),
    )
    return executor.execute_operation()
