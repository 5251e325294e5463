"""efa_first_loadings on a planted two-factor structure (oblimin rotation), and the check that
decides whether factor_analyzer needs the scikit-learn shim."""

from __future__ import annotations

import numpy as np
import pytest

from pinocchio_eval.scoring.efa import efa_first_loadings, sklearn_lacks_force_all_finite

#: Planted pattern: items 0-2 measure factor A only, items 3-5 factor B only.
PATTERN = np.array([[0.8, 0.0], [0.7, 0.0], [0.6, 0.0],
                    [0.0, 0.7], [0.0, 0.6], [0.0, 0.5]])
#: The two factors correlate 0.3 (an oblique structure, as oblimin allows).
PHI = np.array([[1.0, 0.3], [0.3, 1.0]])


def _planted_data(n: int = 40) -> np.ndarray:
    """n × 6 answers whose sample correlation matrix is exactly PATTERN·PHI·PATTERNᵀ with a
    unit diagonal: centred, orthonormalised noise (so its correlation is the identity) times
    the Cholesky factor of that matrix."""
    corr = PATTERN @ PHI @ PATTERN.T
    np.fill_diagonal(corr, 1.0)
    z = np.random.default_rng(0).standard_normal((n, 6))
    q, _ = np.linalg.qr(z - z.mean(axis=0))
    return (q * np.sqrt(n - 1)) @ np.linalg.cholesky(corr).T


def test_planted_data_has_the_planted_correlations() -> None:
    x = _planted_data()
    # r(item 0, item 3) = 0.8 · 0.3 · 0.7 = 0.168; r(item 0, item 1) = 0.8 · 0.7 = 0.56
    r = np.corrcoef(x, rowvar=False)
    assert r[0, 3] == pytest.approx(0.168, abs=1e-12)
    assert r[0, 1] == pytest.approx(0.56, abs=1e-12)


def test_two_factor_efa_recovers_the_planted_first_factor_by_oblimin() -> None:
    """Quartimin (oblimin, gamma 0) is minimal, at zero, for a perfect simple structure, so the
    rotated pattern is the planted one. The first factor is the one with more variance:
    A has 0.8² + 0.7² + 0.6² = 1.49 against B's 0.7² + 0.6² + 0.5² = 1.10. Unrotated, every
    item loads on the first factor (about 0.73 … 0.33); promax leaves cross-loadings of about
    0.13-0.18 on B's items; either breaks the zeros below."""
    got = efa_first_loadings(_planted_data(), 2)
    assert got.shape == (6,)
    np.testing.assert_allclose(got[3:], 0.0, atol=1e-3)  # no cross-loadings
    np.testing.assert_allclose(got, [0.8, 0.7, 0.6, 0.0, 0.0, 0.0], atol=1e-3)


def _fake_check_array_with_old_name(array: object, force_all_finite: bool = True) -> object:
    return array


def _fake_check_array_with_new_name(array: object, ensure_all_finite: bool = True) -> object:
    return array


def test_a_scikit_learn_that_still_takes_force_all_finite_needs_no_shim(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sklearn.utils

    monkeypatch.setattr(sklearn.utils, "check_array", _fake_check_array_with_old_name)
    assert sklearn_lacks_force_all_finite() is False


def test_a_scikit_learn_without_force_all_finite_needs_the_shim(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sklearn.utils

    monkeypatch.setattr(sklearn.utils, "check_array", _fake_check_array_with_new_name)
    assert sklearn_lacks_force_all_finite() is True
