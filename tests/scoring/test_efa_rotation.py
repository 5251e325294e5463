"""efa_first_loadings on a planted two-factor structure (oblimin rotation), and the check that
decides whether factor_analyzer needs the scikit-learn shim."""

from __future__ import annotations

import numpy as np
import pytest

from pinocchio_eval.scoring.efa import (
    efa_first_loadings,
    first_factor,
    parallel_analysis,
    sklearn_lacks_force_all_finite,
)

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


# --- first_factor: paper-mode factor count, the too-small-matrix count, the EFA/PCA switch and
# the sign rule (mutation-testing follow-up) ---


def _one_strong_factor_data(n: int = 50, p: int = 10) -> np.ndarray:
    """n × p answers whose correlation matrix is exactly (1 − r)I + rJ with r = 2/9: one
    eigenvalue 1 + 9r = 3 and nine equal to 1 − r = 7/9. A 7/9 sits below the random rank-2
    threshold (above 1 for 50 × 10 noise) but above the low ranks' thresholds, so the leading-run
    rule finds one factor while the paper's count-every-eigenvalue rule finds more."""
    r = 2.0 / 9.0
    corr = (1.0 - r) * np.eye(p) + r * np.ones((p, p))
    z = np.random.default_rng(0).standard_normal((n, p))
    q, _ = np.linalg.qr(z - z.mean(axis=0))
    return (q * np.sqrt(n - 1)) @ np.linalg.cholesky(corr).T


def test_paper_mode_counts_factors_by_every_eigenvalue_above_the_threshold_by_default() -> None:
    x = _one_strong_factor_data()
    np.testing.assert_allclose(np.linalg.eigvalsh(np.corrcoef(x, rowvar=False)),
                               [7 / 9] * 9 + [3.0], atol=1e-9)
    leading = parallel_analysis(x, 0, rule="leading")
    every = parallel_analysis(x, 0, rule="all")
    assert leading == 1
    assert every >= 2
    got = first_factor(x, 0, compat="paper")
    assert got.n_factors == every
    assert got.method == "EFA"


def test_project_mode_counts_one_factor_when_the_matrix_is_too_small_for_parallel_analysis(
        ) -> None:
    # two models (n ≤ 2) or a single item: no parallel analysis, one factor
    two_models = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 5.0]])
    assert first_factor(two_models, 0).n_factors == 1
    one_item = np.array([[1.0], [2.0], [4.0], [3.0]])
    assert first_factor(one_item, 0).n_factors == 1


def test_as_many_models_as_items_is_pca_not_efa() -> None:
    # EFA needs more models than items; 4 × 4 is answered by PCA without trying EFA
    x = np.random.default_rng(1).standard_normal((4, 4))
    assert first_factor(x, 0).method == "PCA"


def test_loadings_summing_to_exactly_zero_keep_the_eigenvector_sign() -> None:
    # items perfectly anti-correlated: correlation [[1, −1], [−1, 1]], top eigenvalue 2 with
    # eigenvector ±(1, −1)/√2, loadings ±(1, −1) summing to 0; no flip, so the sign is eigh's
    x = np.array([[1.0, -1.0], [2.0, -2.0]])
    vals, vecs = np.linalg.eigh(np.array([[1.0, -1.0], [-1.0, 1.0]]))
    expected = vecs[:, -1] * np.sqrt(vals[-1])
    got = first_factor(x, 0).loadings
    assert got.sum() == 0.0
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_a_small_positive_loading_sum_is_not_flipped() -> None:
    # paper PCA on two models, rows (4, −3) and (0, 0): centred rows ±(2, −1.5), so the unit
    # first component is ±(0.8, −0.6); the sum 0.2 must be ≥ 0, hence +(0.8, −0.6)
    x = np.array([[4.0, -3.0], [0.0, 0.0]])
    got = first_factor(x, 0, compat="paper")
    assert got.method == "PCA"
    np.testing.assert_allclose(got.loadings, [0.8, -0.6], atol=1e-12)


def test_paper_mode_parallel_analysis_uses_the_given_seed() -> None:
    """Two item pairs correlating 0.8 and 0.1705: correlation eigenvalues 1.8, 1.1705, 0.8295
    and 0.2. With seed 34 the random 95th-percentile thresholds for 50 × 4 noise are about
    1.490, 1.1692, 1.001 and 0.847 (seed 34's rank-2 threshold is the lowest over seeds 0-299;
    the median seed's is about 1.196), so exactly two eigenvalues clear them. Any other random
    stream almost surely puts the rank-2 threshold above 1.1705 and finds one factor."""
    n = 50
    corr = np.array([[1.0, 0.8, 0.0, 0.0], [0.8, 1.0, 0.0, 0.0],
                     [0.0, 0.0, 1.0, 0.1705], [0.0, 0.0, 0.1705, 1.0]])
    z = np.random.default_rng(0).standard_normal((n, 4))
    q, _ = np.linalg.qr(z - z.mean(axis=0))
    x = (q * np.sqrt(n - 1)) @ np.linalg.cholesky(corr).T
    np.testing.assert_allclose(np.linalg.eigvalsh(np.corrcoef(x, rowvar=False)),
                               [0.2, 0.8295, 1.1705, 1.8], atol=1e-9)
    assert first_factor(x, 34, compat="paper").n_factors == 2
