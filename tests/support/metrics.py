"""Reading /metrics in tests: one metric's samples, and a sum over the ones with some labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str, name: str) -> dict[tuple, float]:
    """{sorted label items: value} of one metric's samples."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple, float], **labels: str) -> float:
    return sum(v for key, v in found.items() if set(labels.items()) <= set(key))


def growth(before: str, after: str, name: str, **labels: str) -> float:
    """How much a counter (summed over the samples with these labels) grew between scrapes."""
    return value(samples(after, name), **labels) - value(samples(before, name), **labels)
