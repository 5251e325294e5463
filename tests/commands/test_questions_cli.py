"""The questions on the command line: score/report/leaderboard --models-info, --panel-resample,
``compare``, and the release-date chart on the board."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from leaderboard_fixtures import small_board, small_panel
from pinocchio_eval.cli import cli
from pinocchio_eval.leaderboard import export
from pinocchio_eval.leaderboard.timeline import FILENAME, attach_facts, html_section
from pinocchio_eval.scoring.facts import load_models_info

MODELS = [f"model-{i:03d}" for i in range(8)]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("questions")
    table = small_panel(n_models=8, n_questionnaires=4, seed=4)
    table.to_csv(d / "responses.csv", index=False)
    info = pd.DataFrame({
        "model": MODELS, "provider": ["acme"] * 3 + ["beta"] * 3 + ["gamma"] * 2,
        "family": ["a1", "a1", "a2", "b1", "b1", "b2", "g", "g"],
        "release_date": ["2024-01-10", "2024-03-01", "2024-06-20", "2024-09-09",
                         "2025-01-15", "2025-04-01", "", "2025-09-30"],
        "parent": [""] * 7 + ["model-006"]})
    info.to_csv(d / "info.csv", index=False)
    return d / "responses.csv", d / "info.csv"


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


def test_score_with_facts_and_leave_one_out(files):
    table, info = files
    code, out = _run("score", str(table), "--models-info", str(info), "--panel-resample",
                     "loo", "--bootstrap", "50", "--format", "json")
    assert code == 0, out
    doc = json.loads(out[out.index("{"):])
    row = {r["model"]: r for r in doc["scores"]}
    assert row["model-000"]["provider"] == "acme" and row["model-000"]["family"] == "a1"
    assert row["model-006"]["release_date"] is None and row["model-007"]["parent"] == "model-006"
    for col in ("pi_panel_loo_min", "pi_panel_loo_max", "rank_panel_loo_min",
                "pi_axis_loo_min", "rank_axis_loo_max"):
        assert all(r[col] is not None for r in doc["scores"]), col
    s = doc["summary"]
    assert s["panel_resample"]["refits"] == 8
    assert s["groups"]["provider"]["between_share"]["pi_panel"]["n_groups"] == 3
    assert s["release_trend"]["pi_panel"]["all"]["n"] == 7
    assert s["fine_tunes"][0]["b"] == "model-007" and s["fine_tunes"][0]["a"] == "model-006"


def test_report_prints_the_provider_section_with_its_interval(files):
    table, info = files
    code, out = _run("report", str(table), "--models-info", str(info), "--bootstrap", "100",
                     "--panel-resample", "loo")
    assert code == 0, out
    assert "## Π by provider and family" in out and "### By provider" in out
    assert "of the variance lies between providers (95 % interval over models" in out
    assert "## Π against release date" in out and "per year" in out
    assert "## How much the ranking depends on the panel" in out
    assert "median Spearman" in out and "pi_self: needs no panel" in out
    assert "model-007 vs model-006: ΔΠ_self" in out


@pytest.mark.parametrize("value", ["bogus", "1", "0"])
def test_bad_panel_resample_is_one_line(files, value):
    table, _ = files
    code, out = _run("score", str(table), "--panel-resample", value)
    assert code != 0 and "--panel-resample" in out and "Traceback" not in out


def test_bad_models_info_is_one_line(files, tmp_path):
    table, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("model,release_date\nmodel-000,soon\n")
    code, out = _run("report", str(table), "--models-info", str(bad))
    assert code != 0 and "release_date 'soon' is not an ISO date" in out
    assert "Traceback" not in out


def test_compare_json_text_out_and_plot(files, tmp_path):
    table, _ = files
    code, out = _run("compare", str(table), "--a", "model-001", "--b", "model-002",
                     "--bootstrap", "200", "--format", "json", "--top", "3")
    assert code == 0, out
    doc = json.loads(out)
    assert {"delta_pi_self", "ci_low", "ci_high", "per_questionnaire"} <= set(doc)
    assert doc["ci_low"] <= doc["delta_pi_self"] <= doc["ci_high"]
    assert len(doc["per_questionnaire"]) == 3
    target, plot = tmp_path / "cmp.txt", tmp_path / "cmp.png"
    code, out = _run("compare", str(table), "--a", "model-001", "--b", "model-002",
                     "--bootstrap", "100", "--out", str(target), "--plot", str(plot))
    assert code == 0, out
    text = target.read_text()
    assert text.startswith("ΔΠ_self (model-002 − model-001) = ")
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out = _run("compare", str(table), "--a", "model-001", "--b", "nobody")
    assert code != 0 and "not in the inputs" in out


def test_leaderboard_build_writes_the_release_chart(files, tmp_path):
    table, info = files
    code, out = _run("leaderboard", "build", str(table), "--out", str(tmp_path / "b"),
                     "--models-info", str(info), "--bootstrap", "50")
    assert code == 0, out
    assert (tmp_path / "b" / FILENAME).read_bytes()[:4] == b"\x89PNG"
    page = (tmp_path / "b" / "leaderboard.html").read_text()
    assert 'id="release-chart"' in page and "data:image/png;base64," in page
    doc = json.loads((tmp_path / "b" / "leaderboard.json").read_text())
    assert doc["analyses"]["release_trend"]["all"]["n"] == 7
    assert doc["analyses"]["groups"]["provider"]["between_share"]["pi_panel"]["ci_low"] \
        is not None
    assert doc["provenance"]["models_info"]["path"] == "info.csv"
    board = pd.read_csv(tmp_path / "b" / "leaderboard.csv").set_index("model")
    assert board.loc["model-003", "provider"] == "beta"


def test_no_dates_no_chart(tmp_path):
    board = small_board()
    info = pd.DataFrame({"model": board.table["model"], "family": "f"}).set_index("model")
    info["release_date"] = pd.NaT
    for col in ("provider", "parent", "notes"):
        info[col] = pd.NA
    attach_facts(board, info)
    assert "release_trend" not in board.analyses and html_section(board) == ""
    written = export(board, tmp_path, ["json"])
    assert "analyses" in json.loads(written["json"].read_text())
    assert not (tmp_path / FILENAME).exists()


def test_shipped_paper_board_has_the_chart_and_its_slopes():
    root = Path(__file__).resolve().parents[2] / "leaderboards" / "paper"
    assert (root / FILENAME).read_bytes()[:4] == b"\x89PNG"
    doc = json.loads((root / "leaderboard.json").read_text())
    trend = doc["analyses"]["release_trend"]
    dated = load_models_info(root / "models_info.csv")["release_date"].notna().sum()
    assert trend["all"]["n"] == dated
    assert trend["without_influential"]["n"] == dated - len(trend["influential"])
    readme = (root.parent / "README.md").read_text().replace("−", "-")
    for fit in (trend["all"], trend["without_influential"]):
        assert f"| {fit['slope_per_year']:+.3f} | {fit['ci_low']:+.3f} … " in readme


@pytest.mark.parametrize("extra", [["--compat", "paper"], ["--norms", "NORMS"]])
def test_panel_resample_refuses_scores_it_would_not_refit(files, tmp_path, extra):
    """Refits use the project's method on the inputs' own panel; scores fitted the paper's way
    or placed on frozen norms would be compared with refits of something else."""
    table, _ = files
    if "NORMS" in extra:
        norms = tmp_path / "norms.json"
        code, out = _run("calibrate", str(table), "--out", str(norms))
        assert code == 0, out
        extra = ["--norms", str(norms)]
    code, out = _run("score", str(table), "--panel-resample", "loo", "--bootstrap", "0", *extra)
    assert code != 0 and "Traceback" not in out
    assert "--panel-resample needs Π_panel fitted on the inputs' own panel" in out


def test_report_json_carries_the_per_model_scores(files):
    """The Markdown report lists every model's scores, facts and leave-one-out ranges; the
    JSON report must carry them too, not only the panel-level summary."""
    table, info = files
    code, out = _run("report", str(table), "--models-info", str(info), "--bootstrap", "20",
                     "--panel-resample", "loo", "--format", "json")
    assert code == 0, out
    doc = json.loads(out[out.index("{"):])
    rows = {r["model"]: r for r in doc["scores"]}
    assert rows["model-000"]["provider"] == "acme"
    assert all(r["pi_panel_loo_min"] is not None for r in rows.values())
    assert doc["summary"]["panel_resample"]["refits"] == len(rows)


def test_fine_tune_delta_is_cleaned_like_the_scores(tmp_path):
    """With --reparse the fine-tune's ΔΠ_self must re-parse too: it is then exactly the
    difference of the two Π_self on the score table (it used to clean the table without it)."""
    from pinocchio_eval.scoring.synthetic import battery_spec, make_panel

    spec = [s for s in battery_spec()[0] if s[0] in ("BAI", "BFI-2", "STAI")]
    t = make_panel(4, spec=spec, seed=5).table
    t["response_raw"] = t["response"].astype(str)
    hit = (t["model"] == "model-001") & (np.arange(len(t)) % 2 == 0)
    t.loc[hit, "response_raw"] = "I'd say " + t.loc[hit, "response"].astype(str)
    t["response"] = t["response"].astype(float)
    t.loc[hit, "response"] = np.nan
    t.to_csv(tmp_path / "t.csv", index=False)
    pd.DataFrame({"model": ["model-000", "model-001"], "parent": ["", "model-000"]}).to_csv(
        tmp_path / "info.csv", index=False)
    code, out = _run("score", str(tmp_path / "t.csv"), "--models-info", str(tmp_path / "info.csv"),
                     "--reparse", "--method", "self", "--bootstrap", "0", "--format", "json")
    assert code == 0, out
    doc = json.loads(out[out.index("{"):])
    s = {r["model"]: r["pi_self"] for r in doc["scores"]}
    fine = doc["summary"]["fine_tunes"][0]
    assert fine["delta_pi_self"] == pytest.approx(s["model-001"] - s["model-000"], abs=1e-12)
    # the compare command takes the same option and gives the same number
    code, out = _run("compare", str(tmp_path / "t.csv"), "--a", "model-000", "--b", "model-001",
                     "--reparse", "--bootstrap", "0", "--format", "json")
    assert code == 0, out
    cmp = json.loads(out[out.index("{"):])
    assert cmp["delta_pi_self"] == pytest.approx(fine["delta_pi_self"], abs=1e-12)
    assert cmp["pi_self_b"] == pytest.approx(s["model-001"], abs=1e-12)
