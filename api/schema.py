"""The one schema: each domain's Query, Mutation and Subscription joined by inheritance."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from accounts.schema import AccountsMutation, AccountsQuery
from api.errors import log_and_present
from api.prepared.documents import CheckedDocuments, DocumentCache
from api.prepared.execution import PlannedExecutor
from api.prepared.operations import PreparedOperation
from api.prepared.running import execute_prepared
from api.scalars import SCALAR_OVERRIDES
from applications.schema import ApplicationsMutation, ApplicationsQuery
from booking.schema import BookingMutation, BookingQuery
from disaster.schema import DisasterMutation, DisasterQuery
from geo.schema import GeoMutation, GeoQuery
from graphql import GraphQLError
from notifications.alerts.schema import AlertsMutation, AlertsQuery, AlertsSubscription
from notifications.schema import (
    NotificationsMutation,
    NotificationsQuery,
    NotificationsSubscription,
)
from reports.schema import ReportsQuery
from reports.schema_changes import ReportsMutation, ReportsSubscription


@strawberry.type
class Query(
    AccountsQuery,
    NotificationsQuery,
    BookingQuery,
    GeoQuery,
    ReportsQuery,
    AlertsQuery,
    ApplicationsQuery,
    DisasterQuery,
):
    pass


@strawberry.type
class Mutation(
    AccountsMutation,
    NotificationsMutation,
    BookingMutation,
    GeoMutation,
    ReportsMutation,
    ApplicationsMutation,
    AlertsMutation,
    DisasterMutation,
):
    pass


@strawberry.type
class Subscription(NotificationsSubscription, ReportsSubscription, AlertsSubscription):
    pass


class MadoguchiSchema(strawberry.Schema):
    """The app's schema: documents checked once (limits included), operations prepared once.

    A query or mutation whose document is cached and valid runs from its prepared operation
    (api/prepared/running.py); anything else — a new or invalid document, an unknown operation name,
    subscriptions, or a schema given other extensions, which must see every request — takes
    Strawberry's regular path, served from the same cache.
    """

    def __init__(
        self,
        query: type,
        *,
        extensions: Iterable[Any] = (),
        execution_context_class: type[PlannedExecutor] = PlannedExecutor,
        introspection: bool = True,
        **kwargs: Any,
    ) -> None:
        self.documents = documents = DocumentCache(introspection=introspection)
        extensions = list(extensions)
        kwargs.setdefault("scalar_overrides", SCALAR_OVERRIDES)
        super().__init__(
            query,
            extensions=[lambda: CheckedDocuments(documents), *extensions],
            execution_context_class=execution_context_class,
            **kwargs,
        )
        self._prepared_path = not extensions and not self.directives

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_and_present(errors, getattr(execution_context, "context", None))

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        operation = self._prepared(query, operation_name, allowed_operation_types)
        if operation is None:
            return await super().execute(
                query,
                variable_values,
                context_value,
                root_value,
                operation_name,
                allowed_operation_types,
                operation_extensions,
            )
        return await execute_prepared(
            self,
            operation,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_extensions=operation_extensions,
        )

    def _prepared(
        self,
        query: str | None,
        operation_name: str | None,
        allowed: Iterable[OperationType] | None,
    ) -> PreparedOperation | None:
        if not self._prepared_path or not isinstance(query, str) or not query:
            return None
        document = self.documents.check(self._schema, query)
        if document is None or document.errors:
            return None
        operation = document.operation(self._schema, operation_name)
        if operation is None or operation.type == OperationType.SUBSCRIPTION:
            return None
        if operation.type not in (DEFAULT_ALLOWED_OPERATION_TYPES if allowed is None else allowed):
            return None
        return operation


def build_schema(
    query: type = Query,
    extra_extensions: list[Any] | None = None,
    *,
    introspection: bool = True,
) -> MadoguchiSchema:
    return MadoguchiSchema(
        query=query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extra_extensions or (),
        introspection=introspection,
    )


schema = build_schema()


def export_sdl() -> str:
    return schema.as_str() + "\n"
