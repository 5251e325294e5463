"""pca_first_loadings on item matrices with constant (zero-variance) columns, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pinocchio_eval.scoring.efa import pca_first_loadings


def test_constant_item_gets_zero_loading_and_others_keep_theirs() -> None:
    # items a and b correlate with r = 0.5, item c is constant (answered 4 by every model).
    # a = (1, 2, 3, 4), b = (1, 3, 2, 4): centred a = (-1.5, -.5, .5, 1.5), b = (-1.5, .5, -.5, 1.5)
    # Σ ab = 2.25 − .25 − .25 + 2.25 = 4, Σ a² = Σ b² = 5  →  r = 0.8.
    # The correlation matrix is [[1, .8, 0], [.8, 1, 0], [0, 0, 0]] (c standardised to 0):
    # top eigenvalue 1.8 with vector (1, 1, 0)/√2, so loadings = √(1.8 / 2) = √0.9 on a and b.
    x = np.array([[1.0, 1.0, 4.0],
                  [2.0, 3.0, 4.0],
                  [3.0, 2.0, 4.0],
                  [4.0, 4.0, 4.0]])
    a = np.array([1.0, 2.0, 3.0, 4.0]) - 2.5
    b = np.array([1.0, 3.0, 2.0, 4.0]) - 2.5
    r = float(sum(p * q for p, q in zip(a, b, strict=True))
              / math.sqrt(sum(p * p for p in a) * sum(q * q for q in b)))
    assert r == pytest.approx(0.8)
    load = pca_first_loadings(x)
    assert np.all(np.isfinite(load))
    expected = math.sqrt((1 + r) / 2)
    assert np.abs(load) == pytest.approx([expected, expected, 0.0], abs=1e-9)


def test_all_items_constant_gives_all_zero_loadings() -> None:
    # nothing varies: the correlation matrix is all zeros, its top eigenvalue is 0, so every
    # loading (eigenvector × √0) is 0 — no component carries any variance.
    x = np.array([[3.0, 5.0], [3.0, 5.0], [3.0, 5.0]])
    load = pca_first_loadings(x)
    assert load == pytest.approx([0.0, 0.0], abs=1e-12)
