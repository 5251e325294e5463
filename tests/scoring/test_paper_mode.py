"""Paper mode against an independent transcription of the authors' scripts (tests/_paper_reference).

A synthetic 50-model panel on the real battery's items, in the authors' table schema (merged MFQ,
empty non-numeric cells, two models with no readable answer), scored by the CLI with
``--compat paper --factors``: Π_panel must equal the transcription to 1e-6 and Π_axis must
correlate with its PC1 at |r| ≥ 0.999.
"""

from __future__ import annotations

import io
import zlib

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import _paper_reference as ref
from pinocchio_eval.cli import cli
from pinocchio_eval.scoring.catalog import MFQ_MERGED
from pinocchio_eval.scoring.selfanchored import superseded_names
from pinocchio_eval.scoring.synthetic import battery_spec, make_panel, paper_schema

DRAWS = 20  # bootstrap draws, seed 42 (paper mode's default), checked against the transcription


def factor_counts(names: list[str]) -> pd.DataFrame:
    """A summary.csv-shaped table: a fixed count per questionnaire, other conditions differ."""
    rows = []
    for q in names:
        k = 1 + zlib.crc32(q.encode()) % 3
        for cond, kk in (("llm_analog", k + 3), ("neutral", k), ("human_simulation", k + 5)):
            rows.append({"questionnaire": q, "condition": cond, "method": "EFA",
                         "n_models": 50, "n_items": 10, "n_factors": kk})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def authors_panel(tmp_path_factory):
    spec, w = battery_spec()
    exp = {(q, int(i)): r > 0.3 for q, i, r in zip(w.questionnaire, w.item_index, w.r_pc1,
                                                   strict=True)}
    sp = make_panel(50, spec=spec, seed=21, experiential=exp,
                    conditions=("neutral", "human_simulation"))
    table = paper_schema(sp.table, seed=3)
    folder = tmp_path_factory.mktemp("paper")
    data = folder / "results_clean.csv"
    table.to_csv(data, index=False)
    factors = folder / "summary.csv"
    counts = factor_counts(sorted(table["questionnaire"].unique()))
    counts.to_csv(factors, index=False)
    return table, data, factors, counts


@pytest.fixture(scope="module")
def paper_cli(authors_panel):
    _, data, factors, _ = authors_panel
    res = CliRunner().invoke(cli, ["score", str(data), "--compat", "paper", "--factors",
                                   str(factors), "--bootstrap", str(DRAWS)])
    assert res.exit_code == 0, res.output
    return pd.read_csv(io.StringIO(res.stdout)).set_index("model")


@pytest.fixture(scope="module")
def transcribed_inputs(authors_panel):
    _, data, _, counts = authors_panel
    df = ref.usable(pd.read_csv(data, low_memory=False), superseded_names())
    neutral_k = counts[counts["condition"] == "neutral"]
    loadings = ref.first_factor_loadings(df, dict(zip(neutral_k["questionnaire"],
                                                      neutral_k["n_factors"], strict=True)))
    return df, ref.pi_sheet(df), loadings


@pytest.fixture(scope="module")
def transcription(transcribed_inputs):
    df, sheet, loadings = transcribed_inputs
    return ref.model_scores(df, sheet), ref.axis_pc1(df, loadings)


def test_panel_in_authors_schema_has_what_the_checks_need(authors_panel):
    table, *_ = authors_panel
    assert MFQ_MERGED in set(table["questionnaire"])
    assert 0.03 < (table["response"] == "").mean() < 0.15
    bai = table[(table["questionnaire"] == "BAI") & table["item_index"].isin([0, 13])]
    assert bai["item"].nunique() == 1  # the duplicated BAI text, as the authors ran it


def test_pi_panel_equals_the_transcription(paper_cli, transcription):
    panel, _ = transcription
    got = paper_cli["pi_panel"].reindex(panel.index)
    assert len(panel) == 50
    np.testing.assert_allclose(got.to_numpy(), panel.to_numpy(), atol=1e-6, rtol=0)


def test_models_without_readable_answers_get_no_score(paper_cli):
    # the default no longer re-parses response_raw under an empty response
    assert paper_cli.loc[["unreadable-0", "unreadable-1"], "pi_panel"].isna().all()
    assert (paper_cli.loc[["unreadable-0", "unreadable-1"], "parse_rate"] == 0).all()


def test_pi_axis_matches_the_transcribed_pc1(paper_cli, transcription):
    panel, pc1 = transcription
    got = paper_cli["pi_axis"].reindex(pc1.index)
    r = np.corrcoef(got.to_numpy(), pc1.to_numpy())[0, 1]
    assert abs(r) >= 0.999, r
    # in fact the same scores up to PC1's arbitrary sign
    np.testing.assert_allclose(got.to_numpy(), np.sign(r) * pc1.to_numpy(), atol=1e-6)
    # oriented so that Π_axis and Π_panel agree in sign
    assert np.corrcoef(got, panel.reindex(pc1.index))[0, 1] > 0


def test_default_mode_differs_but_agrees_in_order(authors_panel, paper_cli):
    _, data, _, _ = authors_panel
    res = CliRunner().invoke(cli, ["score", str(data), "--bootstrap", "0", "--method",
                                   "panel"])
    assert res.exit_code == 0, res.output
    default = pd.read_csv(io.StringIO(res.stdout)).set_index("model")["pi_panel"]
    both = pd.concat([default, paper_cli["pi_panel"]], axis=1).dropna()
    rho = both.rank().corr().iloc[0, 1]
    assert rho > 0.95
    assert (both.iloc[:, 0] - both.iloc[:, 1]).abs().max() > 1e-6


def test_paper_bootstrap_intervals_equal_the_transcription(paper_cli, transcribed_inputs):
    """Same seed (42), same questionnaire order, same draws: the same intervals."""
    df, sheet, loadings = transcribed_inputs
    lo, hi = ref.panel_bootstrap(df, sheet, DRAWS)
    np.testing.assert_allclose(paper_cli["pi_panel_lo"].reindex(lo.index), lo, atol=1e-6)
    np.testing.assert_allclose(paper_cli["pi_panel_hi"].reindex(hi.index), hi, atol=1e-6)
    pc1, lo, hi = ref.axis_bootstrap(ref.factor_scores(df, loadings), DRAWS)
    sign = np.sign(np.corrcoef(paper_cli["pi_axis"].reindex(pc1.index), pc1)[0, 1])
    got_lo, got_hi = (paper_cli[c].reindex(pc1.index) for c in ("pi_axis_lo", "pi_axis_hi"))
    want_lo, want_hi = (lo, hi) if sign > 0 else (-hi, -lo)
    np.testing.assert_allclose(got_lo, want_lo, atol=1e-6)
    np.testing.assert_allclose(got_hi, want_hi, atol=1e-6)
    assert (got_lo <= paper_cli["pi_axis"].reindex(pc1.index) + 1e-9).mean() > 0.8
