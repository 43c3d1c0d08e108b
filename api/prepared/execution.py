"""graphql-core's executor, with what it derives from the document derived once.

`PlannedExecutor` runs every field from its `FieldPlan` (api/prepared/plans.py), kept in the
operation's `Collection` (api/prepared/operations.py) with the collected selections: a repeated
operation looks plans up and does only the work its data needs. Everything a plan does not
cover — abstract types, middleware, values a plan cannot complete exactly, errors — is
graphql-core's own code, so results and errors are exactly those of the regular path.
"""

from __future__ import annotations

from typing import Any

from graphql.execution.collect_fields import CollectedFields, FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.prepared.derivations import DERIVATIONS
from api.prepared.operations import Collection
from api.prepared.plans import FieldPlan, compile_field
from graphql import GraphQLError, GraphQLResolveInfoHelpers, OperationType


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, collection: Collection | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without a prepared operation (Strawberry's own paths) the plans live for one request.
        self.collection = collection or Collection()
        self._relevant_sub_fields = self.collection.sub_fields
        self._arguments: dict[int, dict[str, Any]] = {}
        manager = self.middleware_manager
        self._plannable = manager is None or manager._middleware_resolvers is None

    # graphql-core keeps a pair of the executor's own bound methods on it, a reference cycle
    # that left each request's objects (its context, variables and scope) to the collector.
    @property
    def async_helpers(self) -> GraphQLResolveInfoHelpers:
        return GraphQLResolveInfoHelpers(gather=self.gather_async_work, track=self.track_async_work)

    @async_helpers.setter
    def async_helpers(self, _helpers: GraphQLResolveInfoHelpers) -> None:
        pass

    # --- selections: collected once per collection -------------------------------------

    def execute_operation(self, serially: bool | None = None) -> Any:
        root = self.collection.root
        if root is None or self.abort_signal is not None:
            return super().execute_operation(serially)
        root_type, grouped_field_set, defer_usages = root
        if serially is None:
            serially = self.operation.operation == OperationType.MUTATION
        try:
            data = self.execute_collected_root_fields(
                root_type, self.root_value, grouped_field_set, serially, defer_usages
            )
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        if self.is_awaitable(data):
            return self._response_when_done(data)
        return self.build_response(data)

    async def _response_when_done(self, data: Any) -> Any:
        try:
            completed = await data
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        except Exception:
            await self.cancel_incremental_work()
            self.run_async_work_finished_hook()
            raise
        return self.build_response(completed)

    def execute_collected_root_fields(
        self, root_type, root_value, grouped_field_set, serially, new_defer_usages
    ) -> Any:
        collection = self.collection
        if collection.root is None:
            collection.root = (root_type, grouped_field_set, new_defer_usages)
            DERIVATIONS.selections_collected += 1
        return super().execute_collected_root_fields(
            root_type, root_value, grouped_field_set, serially, new_defer_usages
        )

    def collect_subfields(self, return_type: Any, field_details_list: FieldDetailsList) -> Any:
        cached = self._relevant_sub_fields.get((return_type, id(field_details_list)))
        if cached is not None:
            return cached[1]
        DERIVATIONS.selections_collected += 1
        return super().collect_subfields(return_type, field_details_list)

    # --- fields: planned once per collection -------------------------------------------

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        plan = self._plan(parent_type, field_details_list)
        if plan is None:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        info = None
        try:
            if plan.attribute is not None:
                result = getattr(source, plan.attribute)
            else:
                info = self.build_resolve_info(plan.definition, plan.nodes, parent_type, path)
                result = plan.resolve(source, info, **self._arguments_of(plan))
                if self.is_awaitable(result):
                    return self._complete_awaited(plan, info, path, result, position_context)
            completed = self._complete(plan, parent_type, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(plan, path, completed)
        except Exception as raw_error:  # noqa: BLE001 - a field error, as graphql-core handles it
            self.handle_field_error(raw_error, plan.definition.type, field_details_list, path)
            return None
        return completed

    def _plan(self, parent_type: Any, details: FieldDetailsList) -> FieldPlan | None:
        if not self._plannable:
            return None
        plans = self.collection.field_plans
        key = (parent_type, id(details))
        DERIVATIONS.plan_lookups += 1
        entry = plans.get(key)
        if entry is None:
            plan = compile_field(
                self.schema, parent_type, details, self.field_resolver, self._collect
            )
            entry = plans[key] = (details, plan)
        return entry[1]

    def _collect(self, object_type: Any, details: FieldDetailsList) -> Any:
        collected: CollectedFields = self.collect_subfields(object_type, details)
        return None if collected.new_defer_usages else collected.grouped_field_set

    def _arguments_of(self, plan: FieldPlan) -> dict[str, Any]:
        if plan.arguments is not None:
            return plan.arguments
        arguments = self._arguments.get(id(plan))
        if arguments is None:  # the same for every item of a list: coerced once per request
            arguments = self._arguments[id(plan)] = self._coerce_arguments(plan)
        return arguments

    def _coerce_arguments(self, plan: FieldPlan) -> dict[str, Any]:
        if plan.read_arguments is not None:
            read = plan.read_arguments(self.variable_values.coerced)
            if read is not None:
                return read
        detail = plan.details[0]
        return get_argument_values(
            plan.definition,
            detail.node,
            self.variable_values,
            detail.fragment_variable_values,
            self.hide_suggestions,
        )

    def _complete(self, plan, parent_type, info, path: Path, result: Any, position_context):
        if plan.complete is not None and not isinstance(result, Exception):
            try:
                return plan.complete(result)
            except Exception:  # noqa: BLE001, S110 - the regular path reports it, where it is
                pass
        if info is None:
            info = self.build_resolve_info(plan.definition, plan.nodes, parent_type, path)
        return self.complete_value(
            plan.definition.type, plan.details, info, path, result, position_context
        )

    async def _complete_awaited(self, plan, info, path, result, position_context) -> Any:
        try:
            resolved = await self.with_abort_signal(result)
            completed = self._complete(
                plan, info.parent_type, info, path, resolved, position_context
            )
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:  # noqa: BLE001 - a field error, as graphql-core handles it
            self.handle_field_error(raw_error, plan.definition.type, plan.details, path)
            completed = None
        return completed

    async def _await_completed(self, plan: FieldPlan, path: Path, completed: Any) -> Any:
        try:
            return await completed
        except Exception as raw_error:  # noqa: BLE001 - a field error, as graphql-core handles it
            self.handle_field_error(raw_error, plan.definition.type, plan.details, path)
            return None
