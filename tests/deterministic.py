"""Hypothesis settings of the property tests: deterministic for CI, no shrinking, so that a
failure is reported at once (with what the test `note`d about its case)."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
