"""Leaderboard table, exporters and the exporter plugin hook, on hand-made boards."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from leaderboard_fixtures import small_board
from pinocchio_eval.leaderboard import export, get_exporters
from pinocchio_eval.leaderboard.chart import render_svg
from pinocchio_eval.leaderboard.model import SCHEMA_VERSION, provider_from_id
from pinocchio_eval.plugins import get_plugin_manager, hookimpl, reset_plugin_manager


@pytest.mark.parametrize("model_id, provider", [
    ("openai/gpt-4o", "openai"),
    ("openrouter/anthropic/claude-3.5-haiku", "anthropic"),
    ("openai-api/llama/gemma-3-270m", "google"),
    ("openai-api-completions/llamacpp/gemma-3-270m", "google"),
    ("llama-cpp-python/gemma-3-270m", "google"),
    ("llama-cpp-local/gemma-3-270m", "google"),
    ("gemma-3-270m-it-q4_k_m.gguf", "google"),
    ("my-own-model", "unknown"),
])
def test_provider_from_id(model_id, provider):
    assert provider_from_id(model_id) == provider


def test_rank_follows_primary_method():
    t = small_board().ordered()
    assert list(t["rank"]) == [1, 2, 3, 4, 5]
    assert t["pi_panel"].is_monotonic_decreasing
    assert list(t.columns[:6]) == ["rank", "model", "provider", "pi_panel", "pi_panel_lo",
                                   "pi_panel_hi"]
    assert t.columns[-1] == "mmlu:accuracy"


def test_every_builtin_format_is_written(tmp_path):
    written = export(small_board(), tmp_path)
    assert set(written) == {"csv", "json", "md", "html", "png", "eee"}
    for path in written.values():
        assert path.exists() and path.stat().st_size > 0
    csv = pd.read_csv(written["csv"])
    assert len(csv) == 5 and "pi_panel_lo" in csv and "mmlu:accuracy" in csv
    doc = json.loads(written["json"].read_text())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["provenance"] == {"generator": "tests"}
    assert doc["methods"][0]["interval_columns"] == ["pi_panel_lo", "pi_panel_hi"]
    assert len(doc["rows"]) == 5 and doc["rows"][0]["rank"] == 1
    md = written["md"].read_text()
    assert "| rank | model |" in md and "a test note" in md
    assert written["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_is_self_contained(tmp_path):
    page = export(small_board(), tmp_path, ["html"])["html"].read_text()
    assert page.count("<tr>") == 6  # heading + 5 models
    assert "<svg" in page and page.count('class="pi-point"') == 5
    assert page.count('class="pi-interval"') == 5
    for ref in ("http://", "https://", "src=", "<link"):
        assert ref not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_chart_without_intervals_or_scores():
    board = small_board()
    board.table = board.table.drop(columns=["pi_panel_lo", "pi_panel_hi"])
    svg = render_svg(board)
    assert svg.count('class="pi-point"') == 5 and "pi-interval" not in svg
    board.table["pi_panel"] = float("nan")
    assert "No model has a Π score" in render_svg(board)


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown leaderboard format"):
        export(small_board(), tmp_path, ["docx"])


class _TsvExporter:
    name = "tsv"

    def write(self, board, out_dir):
        path = out_dir / "leaderboard.tsv"
        board.ordered().to_csv(path, sep="\t", index=False)
        return path


class _Plugin:
    @hookimpl
    def pinocchio_leaderboard_exporters(self):
        return [_TsvExporter()]


def test_plugin_adds_a_format(tmp_path):
    reset_plugin_manager()
    pm = get_plugin_manager()
    pm.register(_Plugin(), name="test-tsv")
    try:
        assert "tsv" in get_exporters() and "html" in get_exporters()
        written = export(small_board(), tmp_path)
        assert (tmp_path / "leaderboard.tsv").exists() and "tsv" in written
    finally:
        reset_plugin_manager()
    assert "tsv" not in get_exporters()
