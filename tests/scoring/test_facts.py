"""Model facts files: reading, checking, matching to scored ids; the shipped file for the paper."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pinocchio_eval.leaderboard.model import provider_from_id
from pinocchio_eval.scoring.facts import FactsError, load_models_info, match_ids, model_facts

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "leaderboards" / "paper" / "models_info.csv"


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "info.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_and_yaml_read_the_same(tmp_path):
    csv = _csv(tmp_path, "model,provider,release_date,parent\n"
                         "acme/base,acme,2025-01-02,\nacme/tuned,acme,,acme/base\n")
    yml = tmp_path / "info.yaml"
    yml.write_text("models:\n  - model: acme/base\n    provider: acme\n    release_date: "
                   "'2025-01-02'\n  - model: acme/tuned\n    provider: acme\n"
                   "    parent: acme/base\n", encoding="utf-8")
    a, b = load_models_info(csv), load_models_info(yml)
    assert a.loc["acme/base", "release_date"] == pd.Timestamp("2025-01-02")
    assert pd.isna(a.loc["acme/tuned", "release_date"])
    assert a.loc["acme/tuned", "parent"] == "acme/base"
    for col in ("provider", "parent"):
        assert a[col].fillna("").tolist() == b[col].fillna("").tolist()
    assert a["release_date"].equals(b["release_date"])


@pytest.mark.parametrize("text, fragment", [
    ("name,provider\nx,y\n", "needs a 'model' column"),
    ("model,release_date\nacme/a,2025-13-01\n", "'acme/a': release_date '2025-13-01'"),
    ("model,release_date\nacme/a,2025-03\n", "is not an ISO date"),
    ("model,provider\nacme/a,x\nacme/a,y\n", "listed twice"),
    ("model,provider\n,x\n", "row 2 has an empty 'model'"),
    ("model,parent\nacme/a,acme/a\n", "names itself as parent"),
])
def test_bad_files_name_file_row_and_fix(tmp_path, text, fragment):
    path = _csv(tmp_path, text)
    with pytest.raises(FactsError) as err:
        load_models_info(path)
    assert fragment in str(err.value) and str(path) in str(err.value)


def test_missing_and_unknown_format(tmp_path):
    with pytest.raises(FactsError, match="no such models-info file"):
        load_models_info(tmp_path / "nope.csv")
    bad = tmp_path / "info.json"
    bad.write_text("{}")
    with pytest.raises(FactsError, match=r"\.csv, \.yaml or \.yml"):
        load_models_info(bad)


def test_match_ids_exact_then_unique_suffix():
    known = ["openai/gpt-4o", "gpt-4o", "acme/m"]
    got = match_ids(["openai/gpt-4o", "openrouter/acme/m", "other/x", "router/gpt-4o"], known)
    assert got == {"openai/gpt-4o": "openai/gpt-4o", "openrouter/acme/m": "acme/m",
                   "router/gpt-4o": "gpt-4o"}


def test_model_facts_defaults_provider_and_translates_parent(tmp_path):
    info = load_models_info(_csv(tmp_path, "model,provider,family,parent\n"
                                           "acme/base,Acme Labs,fam,\n"
                                           "acme/tuned,,fam,acme/base\n"))
    facts = model_facts(["openrouter/acme/base", "acme/tuned", "google/gemma-3-27b-it"],
                        info, provider_from_id)
    assert facts.loc["openrouter/acme/base", "provider"] == "Acme Labs"
    assert facts.loc["acme/tuned", "provider"] == "acme"          # blank in file: from the id
    assert facts.loc["google/gemma-3-27b-it", "provider"] == "google"  # not in the file
    # the parent is named by its facts id and mapped back to the scored id
    assert facts.loc["acme/tuned", "parent"] == "openrouter/acme/base"
    assert pd.isna(facts.loc["google/gemma-3-27b-it", "family"])


def test_shipped_paper_facts_cover_the_board_and_every_date_has_a_source():
    info = load_models_info(SHIPPED)
    board = pd.read_csv(ROOT / "leaderboards" / "paper" / "leaderboard.csv")
    assert sorted(info.index) == sorted(board["model"])
    assert info["provider"].notna().all() and info["family"].notna().all()
    dated = info["release_date"].notna()
    sourced = info["release_date_source"].notna()
    assert (dated == sourced).all(), "a date without a source, or a source without a date"
    assert dated.sum() >= 15
    assert info.loc[dated, "release_date_source"].str.contains("https://").all()


def test_yaml_with_an_impossible_bare_date_is_one_line(tmp_path):
    """YAML turns a bare 2024-13-01 into a date and fails with ValueError, not YAMLError."""
    path = tmp_path / "info.yaml"
    path.write_text("- model: a/b\n  release_date: 2024-13-01\n", encoding="utf-8")
    with pytest.raises(FactsError, match=r"info\.yaml: not valid YAML \(month must be in 1\.\.12"):
        load_models_info(path)
