"""The disaster domain's GraphQL, joined from its sub-packages (and geo's shelter operation,
which the disaster features drive)."""

from __future__ import annotations

import strawberry

from disaster.mode.schema import DisasterModeMutation, DisasterModeQuery
from geo.operation.schema import ShelterOperationMutation, ShelterOperationQuery


@strawberry.type
class DisasterQuery(DisasterModeQuery, ShelterOperationQuery):
    pass


@strawberry.type
class DisasterMutation(DisasterModeMutation, ShelterOperationMutation):
    pass
