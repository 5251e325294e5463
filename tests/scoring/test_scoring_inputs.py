"""Invariances, determinism, the MFQ join, and clear errors on bad input (API and CLI)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pinocchio_eval.responses import ResponseTableError
from pinocchio_eval.scoring import MappingCatalog, ScoringError, score_table
from pinocchio_eval.scoring.catalog import MFQ_MERGED
from pinocchio_eval.scoring.synthetic import make_panel, small_spec


@pytest.fixture(scope="module")
def small():
    return make_panel(12, spec=small_spec(5, 6), seed=7)


def _scores(table, catalog, **kw):
    return score_table(table, methods=("panel", "axis"), catalog=catalog, **kw).scores.set_index(
        "model")[["pi_panel", "pi_axis"]]


def test_row_order_and_extra_columns_do_not_matter(small):
    base = _scores(small.table, small.catalog)
    shuffled = small.table.sample(frac=1.0, random_state=3).assign(junk="x", other=1.5)
    pd.testing.assert_frame_equal(_scores(shuffled, small.catalog), base, atol=1e-12, rtol=0)


def test_duplicate_rows_are_averaged_not_double_counted(small):
    base = _scores(small.table, small.catalog)
    doubled = pd.concat([small.table, small.table])
    pd.testing.assert_frame_equal(_scores(doubled, small.catalog), base, atol=1e-12, rtol=0)


def test_out_of_range_and_non_numeric_answers_are_ignored(small):
    base = _scores(small.table, small.catalog)
    junk = small.table.head(40).assign(response=99)
    text = small.table.head(40).assign(response="no idea")
    res = score_table(pd.concat([small.table, junk, text]), methods=("panel", "axis"),
                      catalog=small.catalog)
    pd.testing.assert_frame_equal(res.scores.set_index("model")[["pi_panel", "pi_axis"]], base,
                                  atol=1e-12, rtol=0)
    counts = res.scores.set_index("model")
    assert counts["n_out_of_range"].sum() == 40
    assert any("outside" in n for n in res.notes)


def test_same_seed_same_bytes(small):
    a = score_table(small.table, catalog=small.catalog, bootstrap=30, seed=5)
    b = score_table(small.table, catalog=small.catalog, bootstrap=30, seed=5)
    assert a.scores.to_csv() == b.scores.to_csv()
    c = score_table(small.table, catalog=small.catalog, bootstrap=30, seed=6)
    assert a.scores.to_csv() != c.scores.to_csv()


def test_unknown_questionnaire_suggests_names(small):
    bad = small.table.assign(questionnaire=small.table.questionnaire.replace("Q01", "Q1"))
    with pytest.raises(ResponseTableError, match="unknown questionnaire 'Q1'.*Did you mean"):
        score_table(bad, catalog=small.catalog)


def test_missing_columns_named(small):
    with pytest.raises(ResponseTableError, match="missing column.*condition"):
        score_table(small.table.drop(columns=["condition"]), catalog=small.catalog)


def test_one_condition_reports_unavailable_methods(small):
    neutral = small.table[small.table.condition == "neutral"]
    res = score_table(neutral, catalog=small.catalog)
    assert res.status["panel"].startswith("unavailable") and res.status["axis"] == "ok"
    assert res.scores["pi_panel"].isna().all() and res.scores["pi_self"].isna().all()
    one_model = neutral[neutral.model == "model-000"]
    with pytest.raises(ScoringError, match="no requested method"):
        score_table(one_model, catalog=small.catalog)


def test_model_with_one_condition_only_gets_no_self(small):
    weights = pd.DataFrame({"questionnaire": ["Q00"] * 6, "item_index": range(6),
                            "r_pc1": 0.5, "var": 1.0})
    t = small.table[~((small.table.model == "model-003")
                      & (small.table.condition == "human_simulation"))]
    res = score_table(t, methods=("self",), catalog=small.catalog, weights=weights)
    s = res.scores.set_index("model")
    assert np.isnan(s.loc["model-003", "pi_self"]) and s["pi_self"].notna().sum() == 11
    assert any("model-003" in n for n in res.notes)


def test_superseded_left_out_unless_asked(small):
    cat = MappingCatalog({f"Q0{k}": (1, 5) for k in range(5)}, superseded=["Q04"])
    res = score_table(small.table, methods=("panel",), catalog=cat)
    assert "Q04" not in set(res.items["questionnaire"])
    res = score_table(small.table, methods=("panel",), catalog=cat, include_superseded=True)
    assert "Q04" in set(res.items["questionnaire"])


def test_merged_mfq_name_is_split_by_item_text():
    parts = {MFQ_MERGED: {f"{MFQ_MERGED}_1": ["care a", "fair b"],
                          f"{MFQ_MERGED}_2": ["loyal c", "pure d"]}}
    cat = MappingCatalog({f"{MFQ_MERGED}_1": (0, 5), f"{MFQ_MERGED}_2": (0, 5)}, parts=parts)
    rows = [{"model": "m", "condition": "neutral", "questionnaire": MFQ_MERGED,
             "item_index": i, "item": t, "response": 3}
            for i, t in [(0, "care a"), (1, "fair b"), (0, "loyal c"), (1, " Pure  d ")]]
    from pinocchio_eval.scoring import clean_responses

    clean = clean_responses(pd.DataFrame(rows), cat)
    got = sorted(zip(clean.table.questionnaire, clean.table.item_index, strict=True))
    assert got == [(f"{MFQ_MERGED}_1", 0), (f"{MFQ_MERGED}_1", 1),
                   (f"{MFQ_MERGED}_2", 0), (f"{MFQ_MERGED}_2", 1)]
    assert set(clean.groups.values()) == {MFQ_MERGED}
    with pytest.raises(ResponseTableError, match="need the 'item' column"):
        clean_responses(pd.DataFrame(rows).drop(columns=["item"]), cat)


def test_merged_mfq_without_battery_parts_splits_by_the_shipped_weight_table():
    """A catalog without MFQ part texts falls back to the frozen weight table's texts."""
    import csv
    from pathlib import Path

    from pinocchio_eval.scoring import clean_responses

    path = Path(__file__).resolve().parents[2] / "scorers" / "pc1_item_weights.csv"
    with path.open(encoding="utf-8") as fh:  # read by the csv module, not by the package
        mfq = [r for r in csv.DictReader(fh) if r["source_questionnaire"] == MFQ_MERGED]
    picks = [r for r in mfq if r["questionnaire"].endswith("_1")][:2] + \
        [r for r in mfq if r["questionnaire"].endswith("_2")][-2:]
    cat = MappingCatalog({f"{MFQ_MERGED}_1": (0, 5), f"{MFQ_MERGED}_2": (0, 5)})
    rows = [{"model": "m", "condition": "neutral", "questionnaire": MFQ_MERGED,
             "item_index": 99, "item": "  " + r["item"].upper() + " ", "response": 3}
            for r in picks]
    clean = clean_responses(pd.DataFrame(rows), cat)
    got = sorted(zip(clean.table.questionnaire, clean.table.item_index, strict=True))
    assert got == sorted((r["questionnaire"], int(r["item_index"])) for r in picks)
    bad = pd.DataFrame(rows[:1]).assign(item="a sentence in no questionnaire")
    with pytest.raises(ResponseTableError, match="matches neither MFQ part"):
        clean_responses(bad, cat)


def test_shipped_weights_split_mfq_and_keep_provenance():
    from pinocchio_eval.scoring import load_item_weights

    w = load_item_weights()
    assert len(w) == 1382 and not w.duplicated(["questionnaire", "item_index"]).any()
    mfq = w[w.source_questionnaire == MFQ_MERGED]
    assert sorted(mfq.questionnaire.unique()) == [f"{MFQ_MERGED}_1", f"{MFQ_MERGED}_2"]
    assert len(mfq) == 32


# ---------------------------------------------------------------- CLI (needs the battery)

@pytest.fixture(scope="module")
def cli_csv(tmp_path_factory):
    spec = [("BAI", 21, 0, 3), ("BFI-2", 60, 1, 5), ("DASS-21", 21, 0, 3)]
    sp = make_panel(10, spec=spec, seed=9)
    t = sp.table.drop(columns=["epoch"])
    path = tmp_path_factory.mktemp("cli") / "panel.csv"
    t.to_csv(path, index=False)
    return path, t


def _run(args):
    from pinocchio_eval.commands.score import _standalone

    return CliRunner().invoke(_standalone, args, catch_exceptions=False)


def test_cli_score_csv_is_deterministic(cli_csv, tmp_path):
    path, _ = cli_csv
    outs = []
    for k in range(2):
        out = tmp_path / f"s{k}.csv"
        r = _run(["score", str(path), "--bootstrap", "20", "--seed", "3", "--out", str(out)])
        assert r.exit_code == 0, r.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    df = pd.read_csv(tmp_path / "s0.csv")
    assert {"model", "pi_panel", "pi_axis", "pi_self", "pi_panel_lo", "pi_panel_hi",
            "n_valid", "parse_rate"} <= set(df.columns)
    assert len(df) == 10


def test_cli_formats_items_calibrate_report(cli_csv, tmp_path):
    path, _ = cli_csv
    r = _run(["score", str(path), "--bootstrap", "0", "--format", "json", "--method", "panel"])
    assert r.exit_code == 0 and '"pi_panel"' in r.output
    r = _run(["score", str(path), "--bootstrap", "0", "--format", "markdown"])
    assert r.exit_code == 0 and "| model |" in r.output
    r = _run(["items", str(path)])
    assert r.exit_code == 0 and r.output.startswith("questionnaire,item_index")
    norms = tmp_path / "norms.json"
    r = _run(["calibrate", str(path), "--out", str(norms)])
    assert r.exit_code == 0 and norms.exists()
    r1 = _run(["score", str(path), "--bootstrap", "0", "--method", "panel"])
    r2 = _run(["score", str(path), "--bootstrap", "0", "--method", "panel", "--norms",
               str(norms)])
    a = pd.read_csv(__import__("io").StringIO(r1.output))
    b = pd.read_csv(__import__("io").StringIO(r2.output))
    assert np.allclose(a.pi_panel, b.pi_panel, atol=1e-9)
    r = _run(["report", str(path)])
    assert r.exit_code == 0 and "Tucker congruence" in r.output and "PC1 explains" in r.output


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.drop(columns=["model"]), "missing column"),
    (lambda t: t.assign(questionnaire="BFI2"), "Did you mean"),
    (lambda t: t[(t.model == "model-000") & (t.condition == "neutral")],
     "no requested method"),
    (lambda t: t.iloc[:0], "no rows"),
])
def test_cli_bad_input_is_one_clear_line(cli_csv, tmp_path, mutate, message):
    _, table = cli_csv
    bad = tmp_path / "bad.csv"
    mutate(table).to_csv(bad, index=False)
    r = _run(["score", str(bad), "--bootstrap", "0"])
    assert r.exit_code != 0
    assert message in r.output and "Traceback" not in r.output


def test_cli_empty_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    r = _run(["score", str(empty)])
    assert r.exit_code != 0 and "empty" in r.output
    r = _run(["score", str(tmp_path / "nope.csv")])
    assert r.exit_code != 0 and "no such file" in r.output


def test_unknown_condition_is_named_with_a_suggestion():
    import pandas as pd

    from pinocchio_eval.responses import ResponseTableError
    from pinocchio_eval.scoring.hygiene import clean_responses

    df = pd.DataFrame({"model": ["m", "m"], "condition": ["neutral", "human_simulaton"],
                       "questionnaire": ["BAI", "BAI"], "item_index": [0, 0],
                       "response": [2, 3]})
    with pytest.raises(ResponseTableError, match="(?i)1 row.*'human_simulaton'.*did you mean "
                                                 "'human_simulation'"):
        clean_responses(df)


def _hygiene_rows(rows, **cols):
    base = pd.DataFrame(rows, columns=["model", "condition", "questionnaire", "item_index",
                                       "response"])
    return base.assign(**cols)


def test_text_answers_without_a_catalog_scale_read_on_the_bare_bounds():
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})      # bounds only: a bare 1..5 scale is used
    texts = ["On a scale of 1-5, I'd say 4", "none", "I pick 5", "zero"]
    df = _hygiene_rows([("m", "neutral", "Q", i, np.nan) for i in range(4)],
                       response_raw=texts)
    res = clean_responses(df, catalog=cat, reparse=True)
    got = res.table["value"].tolist()
    assert got[0] == 4.0 and got[2] == 5.0
    assert math.isnan(got[1]) and math.isnan(got[3])
    c = res.counts.iloc[0]
    assert (c["n_valid"], c["n_unparseable"], c["n_out_of_range"], c["n_ambiguous"]) == (
        2, 1, 1, 0)


def test_value_column_is_read_as_the_response():
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    df = _hygiene_rows([("m", "neutral", "Q", 0, 2.0), ("m", "neutral", "Q", 1, 4.0)])
    res = clean_responses(df.rename(columns={"response": "value"}), catalog=cat)
    assert res.table["value"].tolist() == [2.0, 4.0]


def test_item_text_kept_on_the_fast_numeric_path():
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    df = _hygiene_rows([("m", "neutral", "Q", 0, 2.0), ("m", "neutral", "Q", 1, 4.0)],
                       response_raw=pd.array(["2", "4"], dtype="string"),
                       item=["first item", "second item"], status=["ok", "ok"])
    res = clean_responses(df, catalog=cat)
    assert res.table["item"].tolist() == ["first item", "second item"]


def test_superseded_note_text():
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5), "Old": (1, 5)}, superseded=["Old"])
    df = _hygiene_rows([("m", "neutral", "Q", 0, 2.0), ("m", "neutral", "Old", 0, 4.0)])
    res = clean_responses(df, catalog=cat)
    assert res.notes == ["left out superseded instrument(s): Old (pass include_superseded "
                         "to score them)"]


def test_missing_and_blank_answers_count_as_unparseable_not_empty():
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    # no response_raw, no status: a missing number is unparseable
    res = clean_responses(_hygiene_rows([("m", "neutral", "Q", 0, np.nan),
                                         ("m", "neutral", "Q", 1, 3.0)]), catalog=cat)
    c = res.counts.iloc[0]
    assert (c["n_rows"], c["n_valid"], c["n_unparseable"], c["n_empty"]) == (2, 1, 1, 0)
    # a blank raw text re-parsed: still the table's unparseable, never parsed as "empty"
    df = _hygiene_rows([("m", "neutral", "Q", 0, np.nan), ("m", "neutral", "Q", 1, 3.0)],
                       response_raw=["   ", "3"])
    c = clean_responses(df, catalog=cat, reparse=True).counts.iloc[0]
    assert (c["n_valid"], c["n_unparseable"], c["n_empty"]) == (1, 1, 0)


def test_a_catalog_scale_with_one_value_is_refused_by_name():
    """A scale whose ends coincide cannot hold a rating (and the parser's Scale refuses it):
    the catalog says which questionnaire or item, in one line, when it is built."""
    from pinocchio_eval.scoring.catalog import MappingCatalog

    with pytest.raises(ValueError, match=r"^catalog: Q has the scale 3\.\.3; a scale needs"):
        MappingCatalog({"Q": (3, 3)})
    with pytest.raises(ValueError, match=r"^catalog: Q item 2 has the scale 5\.\.1;"):
        MappingCatalog({"Q": (1, 5)}, item_bounds={"Q": {2: (5, 1)}})
    assert MappingCatalog({"Q": (1, 5)}).info("Q").high == 5.0


# --- engine options and the count columns (mutation survivors, wave 5)
def test_paper_mode_refuses_frozen_norms_and_says_what_to_drop(small) -> None:
    from pinocchio_eval.scoring import PanelNorms

    with pytest.raises(ScoringError) as err:
        score_table(small.table, catalog=small.catalog, compat="paper", norms=PanelNorms())
    assert str(err.value) == ("paper mode scores a panel on itself, as the authors did; it "
                              "cannot use frozen norms (drop --norms or --compat paper)")


def test_a_model_missing_from_the_counts_is_still_scored_with_empty_counts(small) -> None:
    """score_table takes a CleanResponses as it is: a model its counts table does not list
    keeps its score row, with the count columns missing, instead of being dropped."""
    from pinocchio_eval.scoring.hygiene import clean_responses

    clean = clean_responses(small.table, catalog=small.catalog)
    models = sorted(small.table["model"].unique())
    gone = models[3]
    rows = small.table.groupby("model").size()   # rows per model, counted straight from input
    clean.counts = clean.counts[clean.counts["model"] != gone].reset_index(drop=True)
    res = score_table(clean, methods=("panel", "axis"))
    assert res.scores["model"].tolist() == models
    by_model = res.scores.set_index("model")
    assert math.isnan(by_model.loc[gone, "n_rows"])
    kept = [m for m in models if m != gone]
    assert by_model.loc[kept, "n_rows"].tolist() == [rows[m] for m in kept]


# --- a table handed over already read (response_raw beside numeric answers) ------------------
def test_a_read_table_with_a_negative_item_index_is_refused_not_filed_elsewhere() -> None:
    # a table with response_raw and numeric answers skips full validation (it comes from this
    # package's readers); its item keys are still checked: A/-1 would otherwise be keyed as
    # another questionnaire's item (questionnaire code * width + index)
    from pinocchio_eval.scoring.hygiene import clean_responses

    catalog = MappingCatalog({"A": (1, 5), "B": (0, 3)})
    table = pd.DataFrame({"model": ["m1", "m1", "m1"], "condition": "neutral",
                          "questionnaire": ["A", "A", "B"], "item_index": [-1, 0, 0],
                          "response": [5.0, 2.0, 1.0], "response_raw": ["5", "2", "1"]})
    with pytest.raises(ResponseTableError, match=r"^t\.csv: row 1 has item_index -1; it must "
                                                 r"be a whole number from 0 to 100000"):
        clean_responses(table, catalog=catalog, source="t.csv")



# --- the already-read path marks a missing item text as the reading path does (wave 6) -------
def test_a_read_table_without_item_texts_gets_pandas_na_like_a_fresh_table() -> None:
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    fresh = _hygiene_rows([("m", "neutral", "Q", 0, 2.0), ("m", "neutral", "Q", 1, 4.0)])
    # response_raw beside numeric answers: the table is taken as read by this package
    read = fresh.assign(response_raw=pd.array(["2", "4"], dtype="string"))
    # validate_response_table fills a missing item column with pd.NA; the read path must too
    for table in (fresh, read):
        items = clean_responses(table, catalog=cat).table["item"].tolist()
        assert len(items) == 2
        assert all(v is pd.NA for v in items)



def test_a_read_looking_table_missing_columns_names_them() -> None:
    # numeric answers beside response_raw look like a reader's output, but the table still
    # needs its item keys: one line naming what is missing, not a bare KeyError
    from pinocchio_eval.scoring.hygiene import clean_responses

    table = pd.DataFrame({"model": ["a"], "response": [3.0], "response_raw": ["3"]})
    with pytest.raises(ResponseTableError,
                       match=r"^t\.csv: missing column\(s\) \['condition', 'questionnaire', "
                             r"'item_index'\]"):
        clean_responses(table, catalog=MappingCatalog({"A": (1, 5)}), source="t.csv")


# --- _prepare: a value column beside response, and the source named in condition errors ---

def test_value_column_beside_a_response_column_is_ignored() -> None:
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    df = _hygiene_rows([("m", "neutral", "Q", 0, 2.0), ("m", "neutral", "Q", 1, 4.0)])
    res = clean_responses(df.assign(value=[5.0, 1.0]), catalog=cat)
    # the answers are the response column's 2 and 4, not value's 5 and 1
    assert res.table["value"].tolist() == [2.0, 4.0]


def test_unknown_condition_error_names_the_source() -> None:
    from pinocchio_eval.scoring.hygiene import clean_responses

    cat = MappingCatalog({"Q": (1, 5)})
    df = _hygiene_rows([("m", "neutrall", "Q", 0, 2.0), ("m", "neutral", "Q", 1, 4.0)])
    with pytest.raises(ResponseTableError) as err:
        clean_responses(df, catalog=cat, source="panel.csv")
    assert str(err.value).startswith("panel.csv: 1 row(s) have ")
