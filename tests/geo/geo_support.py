"""Shared helpers for the geo tests: where the open data is, file rewriting, brute force."""

from __future__ import annotations

import csv
import io
import math
import os
import random
from pathlib import Path

import numpy as np
import pytest

from geo.geodesy import geodesic_distance_m
from geo.hazards import Hazard

DATA_DIR = Path(
    os.environ.get("MADOGUCHI_OPEN_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)


def data_path(name: str) -> Path:
    path = DATA_DIR / name
    if not path.exists():
        pytest.skip(f"open data not available: {path}")
    return path


def decoded_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path} is neither UTF-8 nor cp932")


def csv_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_text(table: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def reorder_columns(table: list[list[str]], seed: int) -> list[list[str]]:
    width = max(len(row) for row in table)
    order = list(range(width))
    random.Random(seed).shuffle(order)
    padded = [row + [""] * (width - len(row)) for row in table]
    return [[row[i] for i in order] for row in padded]


def reend_lines(text: str, line_end: str) -> str:
    """Every line break, inside quoted fields too, becomes line_end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", line_end)


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# Bounds of the ratio between the ellipsoid distance and the great-circle angle computed from
# geodetic latitudes: the smallest meridional and the largest prime-vertical radius of WGS84.
_A, _F = 6378137.0, 1 / 298.257223563
_E2 = _F * (2 - _F)
_LOW_RADIUS, _HIGH_RADIUS = _A * (1 - _E2), _A / math.sqrt(1 - _E2)


def brute_force_nearest(lat, lng, ids, lats, lngs, k, allowed=None, max_distance_m=None):
    """The k nearest by (geodesic distance, id) over all points.

    Every point is screened by its great-circle angle (numpy, all points) and the exact
    geodesic is computed for every point whose screened lower bound could still place it
    among the k nearest; the bound is the textbook one (ratio of the ellipsoid's extreme radii
    of curvature), independent of the index's conformal sphere.
    """
    angles = central_angles(lat, lng, np.asarray(lats), np.asarray(lngs))
    return screened_nearest(lat, lng, angles, ids, lats, lngs, k, allowed, max_distance_m)


def screened_nearest(lat, lng, angles, ids, lats, lngs, k, allowed=None, max_distance_m=None):
    """brute_force_nearest with the great-circle angles to all points already computed."""
    ids, lats, lngs = np.asarray(ids), np.asarray(lats), np.asarray(lngs)
    if allowed is not None:
        keep = np.flatnonzero(allowed)
        ids, lats, lngs, angles = ids[keep], lats[keep], lngs[keep], angles[keep]
    if len(ids) == 0:
        return []
    cutoff = np.inf
    if len(ids) > k:
        cutoff = np.partition(angles, k - 1)[k - 1] * _HIGH_RADIUS * 1.000001 + 1e-3
    if max_distance_m is not None:
        cutoff = min(cutoff, max_distance_m)
    close = np.flatnonzero(angles * _LOW_RADIUS * 0.999999 - 1e-3 <= cutoff)
    ranked = sorted(
        (geodesic_distance_m(lat, lng, float(lats[i]), float(lngs[i])), int(ids[i])) for i in close
    )
    if max_distance_m is not None:
        ranked = [pair for pair in ranked if pair[0] <= max_distance_m]
    return [(id_, distance) for distance, id_ in ranked[:k]]


def exhaustive_nearest(lat, lng, ids, lats, lngs, k, allowed=None):
    """The k nearest by (geodesic distance, id), computing every geodesic."""
    ranked = sorted(
        (geodesic_distance_m(lat, lng, float(a), float(b)), int(i))
        for n, (i, a, b) in enumerate(zip(ids, lats, lngs, strict=True))
        if allowed is None or allowed[n]
    )
    return [(id_, distance) for distance, id_ in ranked[:k]]


def central_angles(lat, lng, lats, lngs):
    phi1, phi2 = math.radians(lat), np.radians(lats)
    dphi, dlam = phi2 - phi1, np.radians(lngs - lng)
    h = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def nationwide_points():
    """ids, lats, lngs, hazard masks of the nationwide emergency sites then shelters (csv only,
    so index tests do not depend on the readers)."""
    hazard_columns = [h.label_ja for h in Hazard]
    ids, lats, lngs, masks = [], [], [], []
    for name in (
        "gsi_shitei_kinkyu_hinanbasho_nationwide.csv",
        "gsi_shitei_hinanjo_nationwide.csv",
    ):
        with data_path(name).open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                ids.append(len(ids) + 1)
                lats.append(float(row["緯度"]))
                lngs.append(float(row["経度"]))
                masks.append(
                    sum(1 << bit for bit, col in enumerate(hazard_columns) if row.get(col) == "1")
                )
    return np.array(ids), np.array(lats), np.array(lngs), np.array(masks, dtype=np.uint8)


# --- Brute force over the source rows, for the HTTP agreement tests ------------------------

HAZARD_FILTERS = [None, *Hazard]


def reference_places(records_by_dataset):
    """Places as the README defines them, straight from the source rows: rows with the same
    name at the same position (to 1e-6 degree) are one place, designated for the union of their
    hazards, at the position of its first row (evacuation-site rows first, then by source id).

    records_by_dataset: iterable of (dataset, SiteRecord). Returns a list of
    (name, lat, lng, hazard mask)."""
    groups = {}
    for dataset, record in records_by_dataset:
        key = (record.name, f"{record.lat:.6f}", f"{record.lng:.6f}")
        groups.setdefault(key, []).append((dataset != "emergency", record.source_id, record))
    places = []
    for members in groups.values():
        members.sort(key=lambda member: member[:2])
        first = members[0][2]
        mask = 0
        for _, _, record in members:
            mask |= record.hazards
        places.append((first.name, first.lat, first.lng, mask))
    return places


def exact_distances(lat, lng, lats, lngs):
    """geographiclib's geodesic to each point (the reference, independent of pyproj)."""
    from geographiclib.geodesic import Geodesic

    inverse = Geodesic.WGS84.Inverse
    return [
        inverse(lat, lng, a, b, Geodesic.DISTANCE)["s12"] for a, b in zip(lats, lngs, strict=True)
    ]


def assert_same_ranking(got, reference, k, context=""):
    """got: [(name, distance)] from the API; reference: [(distance, name)] of every candidate.

    The distances must be the reference's k smallest (to the millimetre) and the names must be
    the reference's; places at equal distances may come in any order among themselves, and at
    the k-th distance any of the tied places may be the one listed."""
    expected = sorted(reference)[:k]
    assert len(got) == len(expected), context
    for (name, distance), (want_distance, _) in zip(got, expected, strict=True):
        assert abs(distance - want_distance) < 1e-3, (context, got, expected)
    assert [d for _, d in got] == sorted(d for _, d in got), context
    by_distance = {}
    for distance, name in reference:
        by_distance.setdefault(round(distance, 3), []).append(name)
    for name, distance in got:
        assert name in by_distance.get(round(distance, 3), ()), (context, name, distance, expected)
    last = round(expected[-1][0], 3) if expected else None
    inside = sorted(n for d, n in expected if round(d, 3) != last)
    assert sorted(n for n, d in got if round(d, 3) != last) == inside, (context, got, expected)


def points_near(places, count, seed, spread=0.02):
    """Random points near randomly chosen places, and a few anywhere in Japan."""
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        _, lat, lng, _ = rng.choice(places)
        points.append((lat + rng.gauss(0, spread), lng + rng.gauss(0, spread)))
    points += [
        (rng.uniform(24.0, 45.5), rng.uniform(123.0, 146.0)) for _ in range(max(2, count // 10))
    ]
    return points


def candidates(angles, allowed, k):
    """Positions of the allowed points that may be among the k nearest on the ellipsoid, from
    their great-circle angles (bounded by the ellipsoid's extreme radii of curvature): every
    point whose lower bound is not beyond the k-th smallest upper bound, ties included."""
    positions = np.flatnonzero(allowed)
    if len(positions) <= k:
        return positions.tolist()
    chosen = angles[positions]
    cutoff = np.partition(chosen, k - 1)[k - 1] * _HIGH_RADIUS * 1.000001 + 1e-3
    return positions[chosen * _LOW_RADIUS * 0.999999 - 1e-3 <= cutoff].tolist()
