"""Factor extraction for one questionnaire: parallel analysis, then EFA or PCA, first factor.

factor_analyzer 0.5.1 (its latest release) calls scikit-learn's
``check_array(force_all_finite=...)``; scikit-learn 1.6 renamed that argument to
``ensure_all_finite`` and 1.8 removed the old name, so ``FactorAnalyzer.fit`` raises
``TypeError`` there. We keep scikit-learn current (other tools in the venv want it) and wrap the
one call: :func:`factor_analyzer_compat` swaps factor_analyzer's module-level ``check_array`` for
a translator *only while we fit*, and only when the installed scikit-learn lacks the old name.
Nothing else in the process sees the change; when factor_analyzer is fixed the shim is a no-op.
"""

from __future__ import annotations

import inspect
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

#: Parallel analysis: number of random draws and the percentile compared against.
PA_DRAWS = 200
PA_PERCENTILE = 95.0
#: Paper mode: the ridge the authors add to every correlation matrix before its eigenvalues.
RIDGE = 1e-6
_LOCK = threading.Lock()


# scikit-learn and factor_analyzer are imported inside the functions that use them: together
# they take seconds to import (python -X importtime), which `import pinocchio_eval` and the
# CLI's start should not pay.


def sklearn_lacks_force_all_finite() -> bool:
    from sklearn.utils import check_array  # lazy: heavy (scikit-learn)

    return "force_all_finite" not in inspect.signature(check_array).parameters


@contextmanager
def factor_analyzer_compat() -> Iterator[None]:
    """Let factor_analyzer 0.5.x run on scikit-learn ≥ 1.8 for the duration of the block."""
    import factor_analyzer.factor_analyzer as fa_mod  # lazy: heavy (factor_analyzer)

    if not sklearn_lacks_force_all_finite():
        yield
        return
    with _LOCK:
        original = fa_mod.check_array

        def check_array(*args, force_all_finite=None, **kwargs):  # type: ignore[no-untyped-def]
            if force_all_finite is not None:
                kwargs.setdefault("ensure_all_finite", force_all_finite)
            return original(*args, **kwargs)

        fa_mod.check_array = check_array
        try:
            yield
        finally:
            fa_mod.check_array = original


def stable_seed(seed: int, name: str) -> int:
    """A per-questionnaire seed that does not depend on the order questionnaires come in."""
    return (int(seed) * 1_000_003 + zlib.crc32(name.encode("utf-8"))) % (2**32)


def _corr_eigvals(x: np.ndarray) -> np.ndarray:
    """Descending eigenvalues of the column correlation matrix (batched over leading axes)."""
    xc = x - x.mean(axis=-2, keepdims=True)
    sd = np.sqrt((xc * xc).sum(axis=-2, keepdims=True))
    xs = xc / np.where(sd > 0, sd, 1.0)
    corr = np.swapaxes(xs, -1, -2) @ xs
    return np.linalg.eigvalsh(corr)[..., ::-1]


def parallel_analysis(x: np.ndarray, seed: int, draws: int = PA_DRAWS,
                      percentile: float = PA_PERCENTILE, rule: str = "leading") -> int:
    """Horn's parallel analysis: observed eigenvalues above the random-data percentile.

    Compares each observed eigenvalue with the ``percentile`` of the same rank's eigenvalue
    over ``draws`` standard-normal matrices of the same shape. ``rule="leading"`` (default)
    counts the leading run above the threshold; ``rule="all"`` (paper mode) counts every
    eigenvalue above it, with a 1e-6 ridge on each correlation matrix. The result is at least
    1 and at most min(n−1, p−1) (and at least 1 when that cap is 0).
    """
    n, p = x.shape
    observed = _corr_eigvals(x)
    rng = np.random.default_rng(seed)
    rand = np.empty((draws, p))
    chunk = max(1, int(4e6 // max(1, n * p)))
    for start in range(0, draws, chunk):
        stop = min(draws, start + chunk)
        rand[start:stop] = _corr_eigvals(rng.standard_normal((stop - start, n, p)))
    if rule == "all":  # the authors' 1e-6 ridge shifts every eigenvalue alike
        observed, rand = observed + RIDGE, rand + RIDGE
    threshold = np.percentile(rand, percentile, axis=0)
    above = observed > threshold
    if rule == "all":
        k = int(above.sum())
    else:
        k = int(np.argmin(above)) if not above.all() else p
    return cap_factors(k, n, p)


def cap_factors(k: int, n: int, p: int) -> int:
    """At least one factor, at most min(n−1, p−1) (at least 1 when that cap is 0)."""
    return max(1, min(k, max(1, min(n - 1, p - 1))))


@dataclass
class FirstFactor:
    loadings: np.ndarray   # one per item used
    method: str            # "EFA" or "PCA"
    n_factors: int
    n_models: int          # models in the listwise-complete extraction matrix


def pca_first_component(x: np.ndarray, n_components: int) -> np.ndarray:
    """Paper mode: scikit-learn's PCA on the raw answers (covariance), first unit eigenvector."""
    from sklearn.decomposition import PCA  # lazy: heavy (scikit-learn)

    return PCA(n_components=n_components).fit(x).components_[0]


def pca_first_loadings(x: np.ndarray) -> np.ndarray:
    """First principal component of the standardised items, as loadings (vector × √λ)."""
    xc = x - x.mean(axis=0)
    sd = x.std(axis=0, ddof=1)
    xs = xc / np.where(sd > 0, sd, 1.0)
    corr = (xs.T @ xs) / (x.shape[0] - 1)
    vals, vecs = np.linalg.eigh(corr)
    return vecs[:, -1] * np.sqrt(max(vals[-1], 0.0))


def efa_first_loadings(x: np.ndarray, n_factors: int) -> np.ndarray:
    """minres EFA with oblimin rotation (no rotation for one factor); first factor's loadings."""
    from factor_analyzer import FactorAnalyzer  # lazy: heavy (factor_analyzer)

    rotation = "oblimin" if n_factors > 1 else None
    fa = FactorAnalyzer(n_factors=n_factors, method="minres", rotation=rotation)
    with factor_analyzer_compat(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa.fit(x)
    return np.asarray(fa.loadings_)[:, 0]


def first_factor(x: np.ndarray, seed: int, n_factors: int | None = None,
                 compat: str = "project", pa_rule: str = "all",
                 pca: str = "covariance") -> FirstFactor:
    """The paper's per-questionnaire step on a complete models × items matrix.

    EFA when there are more models than items, else PCA (EFA needs an invertible correlation
    matrix). If EFA fails numerically we fall back to PCA and say so in ``method``. The sign is
    fixed so the loadings sum to ≥ 0 (the global PCA is indifferent to it; this keeps runs
    byte-identical). ``n_factors`` fixes the factor count instead of parallel analysis (capped
    at min(n−1, p−1)). ``compat="paper"`` uses the authors' parallel-analysis count and their
    PCA fallback (raw-answer covariance, unit eigenvector); see docs/methods.md. In paper mode
    ``pa_rule="leading"`` and ``pca="correlation"`` switch those two rules back to the
    project's, one at a time, to measure them.
    """
    n, p = x.shape
    paper = compat == "paper"
    if n_factors is not None:
        k = cap_factors(int(n_factors), n, p)
    elif paper:
        k = parallel_analysis(x, seed, rule=pa_rule)
    else:
        k = parallel_analysis(x, seed) if n > 2 and p > 1 else 1

    def fallback() -> np.ndarray:
        if paper and pca == "covariance":
            return pca_first_component(x, k)
        return pca_first_loadings(x)

    method = "EFA" if n > p else "PCA"
    if method == "EFA":
        try:
            loadings = efa_first_loadings(x, k)
            if not np.all(np.isfinite(loadings)):
                raise np.linalg.LinAlgError("non-finite loadings")
        except (np.linalg.LinAlgError, ValueError, ZeroDivisionError):
            method, loadings = "PCA (EFA failed)", fallback()
    else:
        loadings = fallback()
    if loadings.sum() < 0:
        loadings = -loadings
    return FirstFactor(loadings=loadings, method=method, n_factors=k, n_models=n)


def tucker_congruence(a: np.ndarray, b: np.ndarray) -> float:
    """|φ| = |Σab| / √(Σa² Σb²); absolute because a factor's sign is arbitrary."""
    den = np.sqrt(np.sum(a * a) * np.sum(b * b))
    return float(abs(np.sum(a * b)) / den) if den > 0 else float("nan")
