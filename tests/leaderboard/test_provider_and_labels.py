"""provider_from_id on routed, odd and empty ids; headings of columns that are not stats."""

from __future__ import annotations

import pandas as pd
import pytest

from pinocchio_eval.leaderboard.model import Leaderboard, finish_table, provider_from_id


def test_router_prefix_keeps_the_org_after_it() -> None:
    # openrouter is skipped; the next part is the maker, not a service to drop as well
    assert provider_from_id("openrouter/acme/foo-model") == "acme"


def test_org_prefix_is_not_taken_for_a_router() -> None:
    assert provider_from_id("acme/foo-model") == "acme"


def test_openai_api_with_only_a_model_keeps_the_model_name() -> None:
    # openai-api/<model> has no service part to drop: gpt-4o → openai by name
    assert provider_from_id("openai-api/gpt-4o") == "openai"


@pytest.mark.parametrize("model_id", ["", "/", "  "])
def test_empty_id_is_unknown(model_id: str) -> None:
    assert provider_from_id(model_id) == "unknown"


@pytest.mark.parametrize(("model_id", "maker"), [("o-1-mini", "openai"),
                                                 ("Gem.ma-3", "google"),
                                                 ("c_l_a_u_d_e", "anthropic")])
def test_punctuation_inside_a_bare_name_is_ignored(model_id: str, maker: str) -> None:
    assert provider_from_id(model_id) == maker


def test_non_stat_column_keeps_its_underscores_in_the_heading() -> None:
    board = Leaderboard(table=pd.DataFrame({"model": ["m"], "mmlu_pro": [0.5]}),
                        benchmarks=["mmlu_pro"])
    assert board.column_label("mmlu_pro") == "mmlu_pro"
    assert board.column_label("parse_rate") == "parse rate"


@pytest.mark.parametrize("model_id", ["llama-cpp-local", "llama-cpp-python", "ollama/",
                                      "openrouter", "gguf"])
def test_a_bare_router_name_names_no_maker(model_id: str) -> None:
    # "llama-cpp-local" is a serving route, not a Llama model: its letters must not be read
    # as the "llama" fragment (which would say meta-llama)
    assert provider_from_id(model_id) == "unknown"


# --- finish_table fills the provider column from each row's model id ---------------------------
def test_finish_table_fills_each_rows_provider_from_its_model_id() -> None:
    table = pd.DataFrame({"model": ["openai/gpt-4o", "openrouter/acme/foo-model", "gemma-3-270m"]})
    out = finish_table(table, None)
    # org prefix → openai; router skipped → acme; bare name by fragment → google
    assert out["provider"].tolist() == ["openai", "acme", "google"]
    assert "rank" not in out.columns  # no primary method: nothing to rank by
    assert "provider" not in table.columns  # the caller's table is left as it was


# --- finish_table leaves a provider column the caller already filled ---------------------------
def test_finish_table_keeps_a_provider_column_already_given() -> None:
    # "openai/gpt-4o" would be read as openai; the caller says it was served by azure, and a
    # blank provider stays blank rather than being guessed from the id
    table = pd.DataFrame({"model": ["openai/gpt-4o", "gemma-3-270m"],
                          "provider": ["azure", None]})
    out = finish_table(table, None)
    assert out["provider"].iloc[0] == "azure"
    assert pd.isna(out["provider"].iloc[1])
