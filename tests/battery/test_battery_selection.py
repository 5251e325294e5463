"""One questionnaire selection, one meaning of "all", in both harnesses."""

from __future__ import annotations

import pytest

from pinocchio_eval.battery import UnknownQuestionnaireError, get_battery
from pinocchio_eval.battery.selection import select_items, select_questionnaires
from pinocchio_eval.lmeval.docs import build_docs


def test_default_and_analysed_are_the_analysed_set():
    analysed = [i.name for i in get_battery().instruments()]
    assert select_questionnaires() == select_questionnaires("analysed") == analysed
    assert select_questionnaires("") == analysed


def test_all_adds_the_superseded_instruments():
    battery = get_battery()
    superseded = [i.name for i in battery if i.status == "superseded"]
    assert superseded, "the battery has superseded instruments to tell the two apart"
    chosen = select_questionnaires("all")
    assert set(chosen) == set(select_questionnaires()) | set(superseded)
    assert chosen == [i.name for i in battery]  # battery order


def test_names_and_ids_in_battery_order():
    by_id = select_questionnaires("rses,swls")
    assert by_id == select_questionnaires(["swls", "rses"])
    assert len(by_id) == 2
    with pytest.raises(UnknownQuestionnaireError, match="Did you mean"):
        select_questionnaires("swl")


def test_both_harnesses_ask_the_same_items():
    pytest.importorskip("inspect_ai")
    from pinocchio_eval.inspect_task.task import build_samples

    for spec in (None, "all", "swls,cmq"):
        inspect_items = {(s.metadata["questionnaire"], s.metadata["item_index"])
                         for s in build_samples("neutral", spec)}
        lm_eval_items = {(d["questionnaire"], d["item_index"])
                         for d in build_docs(["neutral"], spec)}
        expected = {(i.questionnaire, i.item_index) for i in select_items(spec)}
        assert inspect_items == lm_eval_items == expected, spec


def test_excluded_items_are_not_asked_and_text_mode_is_checked():
    battery = get_battery()
    excluded = {(e.questionnaire, e.item_index) for e in battery.errata
                if e.field == "item" and e.action == "exclude"}
    asked = {(i.questionnaire, i.item_index) for i in select_items("all")}
    assert excluded and not excluded & asked
    with pytest.raises(ValueError, match="corrected"):
        select_items("swls", text_mode="fixed")  # type: ignore[arg-type]
