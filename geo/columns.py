"""Columns of text kept compactly: one UTF-8 buffer and its offsets instead of a Python string
per value (a few bytes per Japanese character instead of about 80 bytes per object)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable


class TextColumn:
    __slots__ = ("_buffer", "_offsets")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._offsets = array("q", [0])

    @classmethod
    def of(cls, values: Iterable[str]) -> TextColumn:
        column = cls()
        column.extend(values)
        return column

    def extend(self, values: Iterable[str]) -> None:
        buffer, offsets = self._buffer, self._offsets
        for value in values:
            buffer += value.encode("utf-8")
            offsets.append(len(buffer))

    def freeze(self) -> TextColumn:
        """The same column with its buffer as immutable, exactly sized bytes."""
        frozen = TextColumn()
        frozen._buffer = bytes(self._buffer)
        frozen._offsets = self._offsets
        return frozen

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, position: int) -> str:
        offsets = self._offsets
        return self._buffer[offsets[position] : offsets[position + 1]].decode("utf-8")

    @property
    def nbytes(self) -> int:
        return len(self._buffer) + self._offsets.itemsize * len(self._offsets)
