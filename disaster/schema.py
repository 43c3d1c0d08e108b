"""The disaster domain's GraphQL, joined from its sub-packages (and geo's shelter operation,
which the disaster features drive)."""

from __future__ import annotations

import strawberry

from disaster.mode.schema import DisasterModeMutation, DisasterModeQuery
from disaster.safety.schema import SafetyMutation, SafetyQuery
from disaster.support.schema import SupportMutation, SupportQuery
from geo.operation.schema import ShelterOperationMutation, ShelterOperationQuery


@strawberry.type
class DisasterQuery(DisasterModeQuery, ShelterOperationQuery, SafetyQuery, SupportQuery):
    pass


@strawberry.type
class DisasterMutation(
    DisasterModeMutation, ShelterOperationMutation, SafetyMutation, SupportMutation
):
    pass
