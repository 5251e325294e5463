"""``report --compare-paper``: rank agreement with the paper's board on planted-trait panels.

The synthetic panels (scoring/synthetic.py) plant a latent trait θ; here the 50 synthetic
models are renamed to the paper's model ids so that θ's order is the order of the paper's Π
(the comparison must find a high correlation), or a shuffled order (it must find about none).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from pinocchio_eval.cli import cli
from pinocchio_eval.paper_reference import PAPER_PC1_VARIANCE, paper_board
from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.compare_paper import compare_with_paper, match_paper_ids
from pinocchio_eval.scoring.synthetic import battery_spec, make_panel, small_spec

BOARD = paper_board()


def paper_named(table: pd.DataFrame, theta: pd.Series, follow: str = "pi_panel",
                shuffle: int | None = None, prefix: str = "openrouter/") -> pd.DataFrame:
    """Rename synthetic models to paper ids: the k-th lowest θ gets the k-th lowest paper Π."""
    ids = BOARD.sort_values(follow)["model"].tolist()
    if shuffle is not None:
        ids = list(np.random.default_rng(shuffle).permutation(ids))
    mapping = dict(zip(theta.sort_values().index, [prefix + i for i in ids], strict=True))
    return table.assign(model=table["model"].map(mapping))


@pytest.fixture(scope="module")
def synthetic():
    return make_panel(50, spec=small_spec(12, 10), seed=3)


def _compare(sp, **kw):
    res = score_table(paper_named(sp.table, sp.theta, **kw), catalog=sp.catalog,
                      methods=("panel", "axis"))
    return res, compare_with_paper(res)


def test_trait_following_the_papers_pi_correlates_highly(synthetic):
    _, c = _compare(synthetic)
    assert c.n_models == 50 and c.unmatched == {} and c.duplicates == {}
    assert c.spearman > 0.9 and c.spearman_p < 1e-10
    assert set(c.table["match"]) == {"after routing prefix"}
    # same numbers as scipy on the table itself
    assert c.spearman == pytest.approx(
        stats.spearmanr(c.table["pi_panel"], c.table["paper_pi_panel"]).statistic)
    assert 0 < c.pc2_variance < c.pc1_variance < 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_trait_correlates_near_zero(synthetic, seed):
    _, c = _compare(synthetic, shuffle=seed)
    assert c.n_models == 50
    assert abs(c.spearman) < 0.3


def test_llm_analog_variant_follows_the_papers_llm_analog(synthetic):
    res, c = _compare(synthetic, follow="pi_llm_analog")
    assert c.spearman_llm_analog > 0.9 and c.n_models_llm_analog == 50
    # the planted trait is the same in both conditions, so the neutral comparison sits near
    # the paper's own agreement between its two orders (Spearman 0.482)
    assert 0.3 < c.spearman < 0.7

    # independent recomputation, the authors' way: neutral-panel weights, llm_analog answers
    # averaged per model and item, z-scored per item (population SD), weighted mean of z
    t = paper_named(synthetic.table, synthetic.theta, follow="pi_llm_analog")
    w = res.items.set_index(["questionnaire", "item_index"])["weight"].dropna()
    piv = (t[t["condition"] == "llm_analog"]
           .pivot_table(index="model", columns=["questionnaire", "item_index"],
                        values="response", aggfunc="mean")[w.index])
    z = piv.apply(lambda col: stats.zscore(col, nan_policy="omit"), axis=0)
    expected = z.apply(lambda row: np.average(row[row.notna()], weights=w[row.notna()]),
                       axis=1)
    got = c.table.set_index("model")["pi_llm_analog"]
    assert np.allclose(got.sort_index(), expected.sort_index(), atol=1e-9)


def test_matching_reports_unmatched_with_closest_and_never_counts_twice():
    paper = BOARD["model"].tolist()
    models = ["openai/gpt-4o", "openrouter/x-ai/grok-3", "Llama-3.3-70B-Instruct",
              "acme/gpt-4o-mini-finetune", "vllm/Qwen/Qwen3-32B"]
    matched, unmatched = match_paper_ids(models, paper)
    assert matched["openai/gpt-4o"] == ("openai/gpt-4o", "exact")
    assert matched["openrouter/x-ai/grok-3"] == ("x-ai/grok-3", "after routing prefix")
    assert matched["vllm/Qwen/Qwen3-32B"] == ("qwen/qwen3-32b", "after routing prefix")
    assert matched["Llama-3.3-70B-Instruct"][0] == "meta-llama/llama-3.3-70b-instruct"
    assert list(unmatched) == ["acme/gpt-4o-mini-finetune"]
    assert "openai/gpt-4o" in unmatched["acme/gpt-4o-mini-finetune"]


def test_two_inputs_for_one_paper_model_are_left_out(synthetic):
    t = paper_named(synthetic.table, synthetic.theta)
    # a sixth-ranked model also appears under its bare paper id: ambiguous, both dropped
    twin_src = t["model"].unique()[5]
    twin = t[t["model"] == twin_src].assign(model=twin_src.removeprefix("openrouter/"))
    extra = t[t["model"] == t["model"].unique()[7]].assign(model="acme/not-in-the-paper")
    res = score_table(pd.concat([t, twin, extra]), catalog=synthetic.catalog,
                      methods=("panel",))
    c = compare_with_paper(res)
    pid = twin_src.removeprefix("openrouter/")
    assert c.duplicates == {pid: sorted([twin_src, pid])}
    assert pid not in set(c.table["paper_id"]) and c.n_models == 49
    assert "acme/not-in-the-paper" in c.unmatched


def test_too_small_panel_gives_no_correlation_and_says_why(synthetic):
    t = paper_named(synthetic.table, synthetic.theta)
    keep = t["model"].unique()[:4]
    res = score_table(t[t["model"].isin(keep)], catalog=synthetic.catalog, methods=("self",),
                      weights=pd.DataFrame({"questionnaire": ["Q00"], "item_index": [0],
                                            "r_pc1": [0.5], "var": [1.0]}))
    c = compare_with_paper(res)
    assert np.isnan(c.spearman) and c.n_models == 0
    assert any("no Π panel" in n for n in c.notes)
    assert "not available" in c.markdown()


@pytest.fixture(scope="module")
def battery_table(tmp_path_factory):
    """A planted panel on ten real questionnaires, models named by the paper, as a CSV."""
    spec, _ = battery_spec()
    spec = [s for s in spec if not s[0].startswith("Moral Foundations")][:10]
    sp = make_panel(50, spec=spec, seed=5)
    path = tmp_path_factory.mktemp("cmp") / "responses.csv"
    paper_named(sp.table, sp.theta).to_csv(path, index=False)
    return path


def test_cli_report_compare_paper_json(battery_table, tmp_path):
    out = tmp_path / "report.json"
    res = CliRunner().invoke(cli, ["report", str(battery_table), "--compare-paper",
                                   "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    cp = doc["compare_paper"]
    assert cp["n_models"] == 50 and cp["unmatched"] == {} and cp["spearman"] > 0.9
    assert cp["paper_pc1_variance"] == PAPER_PC1_VARIANCE
    assert cp["pc1_variance"] == pytest.approx(doc["summary"]["pc1_variance"])
    assert len(cp["models"]) == 50 and doc["status"]["panel"] == "ok"
    png = tmp_path / "report-vs-paper.png"
    assert cp["plot"] == str(png) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_report_markdown_has_the_paper_section(battery_table, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["report", str(battery_table), "--compare-paper"])
    assert res.exit_code == 0, res.output
    assert "# Pinocchio panel report" in res.output
    assert "## Comparison with the paper" in res.output
    assert "Spearman, Π panel (neutral) vs the paper's: ρ = 0.9" in res.output
    assert (tmp_path / "pinocchio-vs-paper.png").is_file()
    plain = CliRunner().invoke(cli, ["report", str(battery_table)])
    assert plain.exit_code == 0 and "Comparison with the paper" not in plain.output
    as_json = CliRunner().invoke(cli, ["report", str(battery_table), "--format", "json"])
    doc = json.loads(as_json.output)
    assert "compare_paper" not in doc and doc["status"]["panel"] == "ok"
    assert doc["summary"]["n_models"] == 50


def test_shipped_board_holds_the_papers_50_models(tmp_path):
    from pinocchio_eval.paper_reference import PaperBoardError

    assert len(BOARD) == 50 and BOARD["model"].is_unique
    assert BOARD[["pi_panel", "pi_llm_analog"]].notna().all().all()
    # the two models the authors dropped are not on it
    assert not {"anthropic/claude-3-opus", "baidu/ernie-4.5-21b-a3b"} & set(BOARD["model"])
    bad = tmp_path / "board.csv"
    bad.write_text("model,pi_panel\na/b,0.1\n")
    with pytest.raises(PaperBoardError, match=r"column\(s\) \['pi_llm_analog'\] missing"):
        paper_board(bad)
    bad.write_text("model,pi_panel,pi_llm_analog\na/b,0.1,0.2\na/b,0.3,0.1\n")
    with pytest.raises(PaperBoardError, match="'a/b' appears twice"):
        paper_board(bad)
