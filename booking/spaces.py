"""Which spaces block each other: a space and its parts are one physical area.

`parent_of` maps a space id to the id of the space it is part of (None or absent
for a whole). A booking blocks its ancestors and descendants, but not siblings:
half A blocks the whole gym, the whole gym blocks both halves, the halves don't
block each other.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

SpaceId = TypeVar("SpaceId", bound=Hashable)


def ancestors(space_id: SpaceId, parent_of: Mapping[SpaceId, SpaceId | None]) -> list[SpaceId]:
    """The spaces `space_id` is part of, nearest first."""
    found: list[SpaceId] = []
    seen = {space_id}
    parent = parent_of.get(space_id)
    while parent is not None:
        if parent in seen:
            raise ValueError(f"space {parent!r} is part of itself")
        found.append(parent)
        seen.add(parent)
        parent = parent_of.get(parent)
    return found


def descendants(space_id: SpaceId, parent_of: Mapping[SpaceId, SpaceId | None]) -> set[SpaceId]:
    """Every space that is part of `space_id`, at any depth."""
    children: dict[SpaceId, list[SpaceId]] = {}
    for child, parent in parent_of.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[SpaceId] = set()
    pending = list(children.get(space_id, ()))
    while pending:
        child = pending.pop()
        if child == space_id or child in found:
            raise ValueError(f"space {space_id!r} is part of itself")
        found.add(child)
        pending.extend(children.get(child, ()))
    return found


def related_space_ids(
    space_id: SpaceId, parent_of: Mapping[SpaceId, SpaceId | None]
) -> set[SpaceId]:
    """Ancestors and descendants of `space_id` (not itself): their bookings block it."""
    return set(ancestors(space_id, parent_of)) | descendants(space_id, parent_of)


def block_space_ids(space_id: SpaceId, parent_of: Mapping[SpaceId, SpaceId | None]) -> set[SpaceId]:
    """The space ids a booking of `space_id` writes block rows for: itself and its parts.

    Two bookings conflict exactly when their block rows share a space id, because
    in a tree two spaces have a common descendant-or-self only if one contains
    the other. See booking.constraints.
    """
    return {space_id} | descendants(space_id, parent_of)
