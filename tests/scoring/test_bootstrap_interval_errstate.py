"""bootstrap.interval keeps its own floating-point error setting: a caller running numpy with
invalid operations set to raise still gets NaN for a row whose draws cannot give an interval."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pinocchio_eval.scoring.bootstrap import interval


def test_interval_with_infinite_draws_is_nan_even_when_numpy_raises_on_invalid() -> None:
    # row 0: draws +inf and −inf (NaN ignored): interpolating between them is inf − inf → no
    # interval (NaN both ends). row 1: draws 1, 2, 3; linear percentile position (3 − 1)·q/100:
    # 2.5 % → 0.05 → 1.05, 97.5 % → 1.95 → 2.95.
    draws = np.array([[np.inf, -np.inf, np.nan], [1.0, 2.0, 3.0]])
    with np.errstate(invalid="raise"):
        lo, hi = interval(draws)
    assert math.isnan(lo[0]) and math.isnan(hi[0])
    assert lo[1] == pytest.approx(1.05)
    assert hi[1] == pytest.approx(2.95)
