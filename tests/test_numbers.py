"""The arithmetic helpers of the numeric kinds (checker/checks/numbers.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.checks.numbers import bound_consistent
from checker.extract.quantity import find_quantities


@pytest.mark.parametrize(
    ("stated", "true_value", "holds"),
    [
        ("35%", "35.4", True),
        ("35%", "34.9", True),  # rounded half-up
        ("35%", "36", False),
        ("70%以上", "75", True),  # a lower bound
        ("70%以上", "69.96", True),  # rounds to 70
        ("70%以上", "50", False),
        ("近90%", "89.6", True),  # an upper bound
        ("近90%", "95", False),
        ("约30%", "30.8", True),  # within a point
        ("约30%", "32", False),
    ],
)
def test_bound_consistent(stated: str, true_value: str, holds: bool) -> None:
    (q,) = find_quantities(stated)
    assert bound_consistent(q, Decimal(true_value)) is holds
