"""Reading metrics in tests: from a /metrics answer, or from this process's registry (what
its /metrics would show, without a request)."""

from __future__ import annotations

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families


def samples(text: str, name: str) -> dict[tuple, float]:
    """{sorted label items: value} of one metric's samples in a /metrics answer."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple, float], **labels: str) -> float:
    """The sum of the samples that have these labels (and any others)."""
    return sum(v for key, v in found.items() if set(labels.items()) <= set(key))


def counted(name: str, **labels: str) -> float:
    """The sum of the process's samples of `name` that have these labels."""
    found = {
        tuple(sorted(sample.labels.items())): sample.value
        for family in REGISTRY.collect()
        for sample in family.samples
        if sample.name == name
    }
    return value(found, **labels)
