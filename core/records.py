"""Records a resolver hands to the API layer to be completed straight into response data.

A resolver that would build one view object per record only for its fields to be read back
can return a `RecordList`: the records, what their answer shares (`shared`: the caller, the
time, looked-up names), the Strawberry type they stand for, and how to build the view
objects. Where the selection asks only for fields the type declares a reader for
(`RECORD_READERS`), the API layer's generated completer (api/prepared/completion.py) reads each
field from the record — a column inline, a shared look-up inline, anything else one call —
and completes it exactly as it completes the view's attribute. Every other path iterates the
list, which gives the views: the answer is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple


class Column(NamedTuple):
    """The attribute is the record's attribute `name`, as it is."""

    name: str


class Text(NamedTuple):
    """The attribute is `str()` of the record's attribute `name` (a UUID, or text already)."""

    name: str


class Shared(NamedTuple):
    """The attribute is `shared.<table>[record.<key>]`: a value all records of an answer share."""

    table: str
    key: str


# Or a function of (record, shared), called once per record.
Reader = Column | Text | Shared | Callable[[Any, Any], Any]

# For a Strawberry type (its class), how each of its attributes is read from a record.
RECORD_READERS: dict[type, Mapping[str, Reader]] = {}


class RecordList:
    """Records standing for a list of `kind` objects; iterating gives the view objects."""

    __slots__ = ("_make_views", "_views", "kind", "records", "shared")

    def __init__(
        self,
        kind: type,
        records: Sequence[Any],
        shared: Any,
        views: Callable[[], list[Any]],
    ) -> None:
        self.kind = kind
        self.records = records
        self.shared = shared
        self._make_views = views
        self._views: list[Any] | None = None

    def views(self) -> list[Any]:
        if self._views is None:
            self._views = self._make_views()
        return self._views

    def __iter__(self) -> Iterator[Any]:
        return iter(self.views())

    def __len__(self) -> int:
        return len(self.records)
