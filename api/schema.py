"""The one schema: each domain's Query, Mutation and Subscription joined by inheritance."""

from __future__ import annotations

from typing import Any

import strawberry

from accounts.schema import AccountsMutation, AccountsQuery
from api.documents import CheckedDocuments, DocumentCache
from api.errors import log_and_present
from api.execution import FastLeafExecutionContext
from api.scalars import SCALAR_OVERRIDES
from applications.schema import ApplicationsMutation, ApplicationsQuery
from booking.schema import BookingMutation, BookingQuery
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
):
    pass


@strawberry.type
class Subscription(NotificationsSubscription, ReportsSubscription, AlertsSubscription):
    pass


class MadoguchiSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_and_present(errors, getattr(execution_context, "context", None))


def build_schema(
    query: type = Query,
    extra_extensions: list[Any] | None = None,
    *,
    introspection: bool = True,
) -> MadoguchiSchema:
    cache = DocumentCache(introspection=introspection)
    return MadoguchiSchema(
        query=query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[lambda: CheckedDocuments(cache), *(extra_extensions or [])],
        execution_context_class=FastLeafExecutionContext,
        scalar_overrides=SCALAR_OVERRIDES,
    )


schema = build_schema()


def export_sdl() -> str:
    return schema.as_str() + "\n"
