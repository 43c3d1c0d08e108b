"""Nearest sites by exact WGS84 distance: k-d trees on the conformal sphere, geodesics for few.

Each tree holds points on the conformal unit sphere (see geo.geodesy); there is one for all
points and one per hazard bit, so a hazard filter searches only the sites designated for it.
A query asks a tree for a few more candidates than wanted, bounds their ellipsoid distances
from their sphere angles, computes the exact geodesic only for candidates whose lower bound
does not exceed the k-th smallest upper bound, and stops only when every point the tree did
not return is provably farther than that bound. Otherwise it asks for twice as many and
repeats. The result is the brute-force ranking by (geodesic distance, id).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from scipy.spatial import cKDTree

from geo import geodesy
from geo.hazards import ALL_HAZARDS_MASK, Hazard

_INF = math.inf
_EXTRA_CANDIDATES = 3


class Neighbour(NamedTuple):
    id: int
    distance_m: float


class _Tree(NamedTuple):
    tree: cKDTree
    members: np.ndarray | None  # position in the tree -> position in the index (None: same)


Accept = Callable[[int], bool]


class NearestIndex:
    """Immutable index over (id, lat, lng, hazard mask) points; build once, query many times."""

    def __init__(
        self,
        ids: np.ndarray,
        lats: np.ndarray,
        lngs: np.ndarray,
        masks: np.ndarray,
        trees: dict[int, _Tree],
    ) -> None:
        self._ids = ids
        self._lats = lats
        self._lngs = lngs
        self._masks = masks
        self._trees = trees
        self._choices: dict[int, tuple[cKDTree, np.ndarray | None, int] | None] = {}

    @classmethod
    def build(
        cls,
        ids: Sequence[int] | np.ndarray,
        lats: Sequence[float] | np.ndarray,
        lngs: Sequence[float] | np.ndarray,
        masks: Sequence[int] | np.ndarray | None = None,
    ) -> NearestIndex:
        ids_array = np.asarray(ids, dtype=np.int64)
        lats_array = np.asarray(lats, dtype=np.float64)
        lngs_array = np.asarray(lngs, dtype=np.float64)
        if masks is None:
            masks = np.zeros(len(ids_array), dtype=np.uint8)
        masks_array = _as_masks(masks)
        _check_columns(ids_array, lats_array, lngs_array, masks_array)
        vectors = geodesy.unit_vectors(lats_array, lngs_array)
        trees: dict[int, _Tree] = {}
        if len(ids_array):
            trees[0] = _Tree(cKDTree(vectors), None)
        for hazard in Hazard:
            members = np.flatnonzero(masks_array & hazard.bit).astype(np.int32)
            if len(members):
                trees[hazard.bit] = _Tree(cKDTree(vectors[members]), members)
        return cls(ids_array, lats_array, lngs_array, masks_array, trees)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        """Bytes held in arrays (coordinates, ids, masks, tree data and indices, tree nodes)."""
        total = self._ids.nbytes + self._lats.nbytes + self._lngs.nbytes + self._masks.nbytes
        for tree, members in self._trees.values():
            total += tree.data.nbytes + tree.indices.nbytes + tree.size * _TREE_NODE_BYTES
            total += 0 if members is None else members.nbytes
        return total

    def nearest(
        self,
        lat: float,
        lng: float,
        k: int = 5,
        *,
        hazard_mask: int = 0,
        max_distance_m: float | None = None,
        accept: Accept | None = None,
    ) -> list[Neighbour]:
        """The k points nearest to (lat, lng), nearer first, ties by id.

        hazard_mask: only points whose mask has all these bits. max_distance_m: only points
        at most this far. accept: only points whose id it accepts (asked for few candidates,
        never for all points unless they are all needed).
        """
        _check_query(lat, lng, k, hazard_mask, max_distance_m)
        chosen = self._tree_for(hazard_mask)
        if chosen is None:
            return []
        tree, members, other_bits = chosen
        query = _Query(self, lat, lng, k, max_distance_m, other_bits, accept)
        chord_limit = _INF
        if max_distance_m is not None:
            chord_limit = geodesy.angle_to_chord(geodesy.max_angle_for_distance(max_distance_m))
        size = tree.n
        want = min(size, k + _EXTRA_CANDIDATES)
        while True:
            chords, positions = tree.query(query.vector, k=want, distance_upper_bound=chord_limit)
            if want == 1:  # scipy returns scalars then
                chords, positions = np.atleast_1d(chords), np.atleast_1d(positions)
            if members is not None:
                # Missing neighbours come back as position `size`; clipping keeps the lookup
                # in range and their infinite chord drops them.
                positions = members.take(positions, mode="clip")
            chords, positions = chords.tolist(), positions.tolist()
            exhausted = want >= size or chords[-1] == _INF
            result = query.settle(chords, positions, exhausted)
            if result is not None:
                return result
            want = min(size, want * 2)

    def _tree_for(self, hazard_mask: int) -> tuple[cKDTree, np.ndarray | None, int] | None:
        """The tree to search and the bits still to check on its points; None: nothing matches."""
        if hazard_mask not in self._choices:
            self._choices[hazard_mask] = self._choose_tree(hazard_mask)
        return self._choices[hazard_mask]

    def _choose_tree(self, hazard_mask: int) -> tuple[cKDTree, np.ndarray | None, int] | None:
        if hazard_mask == 0:
            all_points = self._trees.get(0)
            return None if all_points is None else (all_points.tree, None, 0)
        bits = [hazard.bit for hazard in Hazard if hazard_mask & hazard.bit]
        if any(bit not in self._trees for bit in bits):
            return None
        rarest = min(bits, key=lambda bit: self._trees[bit].tree.n)
        tree, members = self._trees[rarest]
        return tree, members, hazard_mask & ~rarest


class _Query:
    """State of one query across rounds: verdicts and exact distances are computed once."""

    def __init__(
        self,
        index: NearestIndex,
        lat: float,
        lng: float,
        k: int,
        max_distance_m: float | None,
        required_bits: int,
        accept: Accept | None,
    ) -> None:
        self.index = index
        self.lat = float(lat)
        self.lng = float(lng)
        self.k = k
        self.max_distance_m = max_distance_m
        self.required_bits = required_bits
        self.accept = accept
        self.vector = geodesy.unit_vector(self.lat, self.lng)
        self.verdicts: dict[int, bool] = {}
        self.exact: dict[tuple[float, float], float] = {}

    def settle(
        self, chords: list[float], positions: list[int], exhausted: bool
    ) -> list[Neighbour] | None:
        """The answer if these candidates (nearest first on the sphere) decide it, else None."""
        if self.required_bits or self.accept is not None:
            passing = [
                (c, p)
                for c, p in zip(chords, positions, strict=True)
                if c != _INF and self._passes(p)
            ]
        else:
            passing = [(c, p) for c, p in zip(chords, positions, strict=True) if c != _INF]
        if len(passing) < self.k:
            return self._rank([p for _, p in passing]) if exhausted else None
        kth_angle = geodesy.chord_to_angle(passing[self.k - 1][0])
        scale_low, scale_high = geodesy.scale_bounds(self.lat, _latitude_spread(kth_angle))
        bound = geodesy.distance_bounds_m(kth_angle, scale_low, scale_high)[1]
        if self.max_distance_m is not None:
            bound = min(bound, self.max_distance_m)
        # Points farther than this chord are provably farther than `bound` on the ellipsoid.
        chord_cut = geodesy.angle_to_chord(geodesy.max_angle_within(bound, scale_low))
        if not exhausted and chords[-1] <= chord_cut:
            return None
        return self._rank([p for c, p in passing if c <= chord_cut])

    def _passes(self, position: int) -> bool:
        verdict = self.verdicts.get(position)
        if verdict is None:
            index = self.index
            bits = self.required_bits
            verdict = (not bits or index._masks.item(position) & bits == bits) and (
                self.accept is None or bool(self.accept(index._ids.item(position)))
            )
            self.verdicts[position] = verdict
        return verdict

    def _rank(self, positions: list[int]) -> list[Neighbour]:
        index = self.index
        ranked = []
        for position in positions:
            # Keyed by place: sites sharing coordinates (a school that is both an evacuation
            # site and a shelter) cost one geodesic.
            place = (index._lats.item(position), index._lngs.item(position))
            distance = self.exact.get(place)
            if distance is None:
                distance = geodesy.geodesic_distance_m(self.lat, self.lng, *place)
                self.exact[place] = distance
            if self.max_distance_m is None or distance <= self.max_distance_m:
                ranked.append((distance, index._ids.item(position)))
        ranked.sort()
        return [Neighbour(id_, distance) for distance, id_ in ranked[: self.k]]


def _latitude_spread(angle: float) -> float:
    """How far in latitude (radians) the paths that matter for this sphere angle can reach."""
    return angle * geodesy.LATITUDE_SPREAD * (1 + 1e-8) + 1e-12


# scipy's ckdtreenode: split_dim, children, split, start_idx, end_idx, less, greater, _less,
# _greater (8 bytes each).
_TREE_NODE_BYTES = 72


def _check_columns(ids: np.ndarray, lats: np.ndarray, lngs: np.ndarray, masks: np.ndarray) -> None:
    if not (ids.ndim == lats.ndim == lngs.ndim == masks.ndim == 1):
        raise ValueError("ids, lats, lngs and masks must be one-dimensional")
    if not (len(ids) == len(lats) == len(lngs) == len(masks)):
        raise ValueError("ids, lats, lngs and masks must have the same length")
    if len(np.unique(ids)) != len(ids):
        raise ValueError("ids must be unique")
    if not (np.all(np.isfinite(lats)) and np.all(np.isfinite(lngs))):
        raise ValueError("coordinates must be finite")
    if np.any(np.abs(lats) > 90):
        raise ValueError("latitudes must lie in [-90, 90]")


def _as_masks(masks: Sequence[int] | np.ndarray) -> np.ndarray:
    raw = np.asarray(masks)
    if raw.size and (raw.dtype.kind not in "iu" or raw.min() < 0 or raw.max() > ALL_HAZARDS_MASK):
        raise ValueError("masks may only hold hazard bits")
    return raw.astype(np.uint8)


def _check_query(
    lat: float, lng: float, k: int, hazard_mask: int, max_distance_m: float | None
) -> None:
    if not (math.isfinite(lat) and math.isfinite(lng)) or abs(lat) > 90:
        raise ValueError(f"not a position: ({lat!r}, {lng!r})")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    if hazard_mask < 0 or hazard_mask & ~ALL_HAZARDS_MASK:
        raise ValueError(f"not a hazard mask: {hazard_mask!r}")
    if max_distance_m is not None and not (max_distance_m >= 0 and math.isfinite(max_distance_m)):
        raise ValueError(f"max_distance_m must be a non-negative number, not {max_distance_m!r}")
