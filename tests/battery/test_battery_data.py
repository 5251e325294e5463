"""The battery data in tasks/: instrument files, counts, source fidelity, and every erratum."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from _reference import WHERE, reference_dir
from pinocchio_eval.battery import (
    Battery,
    Erratum,
    Instrument,
    load_errata,
    load_instrument,
    render_scale,
)

REPO = Path(__file__).resolve().parents[2]
BATTERY_DIR = REPO / "tasks" / "battery"
ERRATA_FILE = REPO / "tasks" / "errata.yaml"


REFERENCE = reference_dir()
needs_reference = pytest.mark.skipif(
    REFERENCE is None, reason=f"the paper's questionnaires.json is not available ({WHERE})")

# Item counts per instrument as the paper's authors ran them (source order of questionnaires.json).
EXPECTED_ITEMS = {
    "Adult Temperament Questionnaire": 77, "Ambivalent Sexism Inventory": 22, "BAI": 21,
    "BFI-2": 60, "BIS_BAS Scales": 24, "BSI": 53,
    "Balanced Inventory of Desirable Responding Version 6": 40,
    "Basic Psychological Needs Scale": 51, "Bayesian Racism Scale": 6,
    "Belief in a Just World Scale": 7, "CERQ (Cognitive Emotion Regulation Questionnaire)": 36,
    "CMQ Conspiracy mentality": 5, "COPE Inventory": 60, "DASS-21": 21,
    "DERS (Difficulties in Emotion Regulation Scale)": 36,
    "ECR-R (Experiences in Close Relationships–Revised)": 36,
    "EMOTION REGULATION QUESTIONNAIRE (ERQ)_": 10, "EPQ-R": 100,
    "Five Facet Mindfullness Questionnaire (FFMQ)": 39, "Gavagai": 8, "HEXACO": 100, "IRQ": 36,
    "Individualism-collectivism IND-COL": 34, "Interpersonal Reactivity Index (IRI)": 28,
    "MCQ-30": 30, "Meaning in Life Questionnaire (MLQ)": 10,
    "Moral Foundations Questionnaire (MFQ-30)_1": 16,
    "Moral Foundations Questionnaire (MFQ-30)_2": 16, "NEED FOR COGNITION SCALE": 18,
    "Need for Closure Scale (NFCS)": 41, "PROTESTANT WORK ETHIC SCALE_": 19,
    "Personal Need for Structure (PNS) Scale": 12, "Psychological Well-Being Scales": 42,
    "RWA scale 22-item": 22, "Religious Orientation Scale-R": 14,
    "Rosenberg Self-Esteem Scale": 10, "SVQ": 27, "Schwartz_Values": 30,
    "Self-Monitoring Scale-Revised": 13, "Self-Monitoring Scale": 25, "Self-Talk Scale": 16,
    "Social Dominance Orientation Scale 7": 16, "Spheres of Control-3": 30,
    "State Trait Anxiety Inventory": 41, "The Internal Representation Questionnaire": 36,
    "The Satisfaction with Life Scale": 5, "Varieties of Inner Speech Questionnaire": 18,
    "Varieties of Inner Speech Questionnaire-R": 26,
}

# Scale bounds the authors' cleaning step used (reference/pinocchio-paper/clean_log.txt).
EXPECTED_BOUNDS = {
    "Adult Temperament Questionnaire": (1, 7), "Ambivalent Sexism Inventory": (0, 5),
    "BAI": (0, 3), "BFI-2": (1, 5), "BIS_BAS Scales": (1, 4), "BSI": (0, 4),
    "Balanced Inventory of Desirable Responding Version 6": (1, 7),
    "Basic Psychological Needs Scale": (1, 7), "Bayesian Racism Scale": (1, 7),
    "Belief in a Just World Scale": (1, 6),
    "CERQ (Cognitive Emotion Regulation Questionnaire)": (1, 5),
    "CMQ Conspiracy mentality": (0, 10), "COPE Inventory": (1, 4), "DASS-21": (0, 3),
    "DERS (Difficulties in Emotion Regulation Scale)": (1, 5),
    "ECR-R (Experiences in Close Relationships–Revised)": (1, 7),
    "EMOTION REGULATION QUESTIONNAIRE (ERQ)_": (1, 7), "EPQ-R": (0, 1),
    "Five Facet Mindfullness Questionnaire (FFMQ)": (1, 5), "Gavagai": (1, 6),
    "HEXACO": (1, 5), "IRQ": (1, 5), "Individualism-collectivism IND-COL": (1, 9),
    "Interpersonal Reactivity Index (IRI)": (1, 5), "MCQ-30": (1, 4),
    "Meaning in Life Questionnaire (MLQ)": (1, 7),
    "Moral Foundations Questionnaire (MFQ-30)_1": (0, 5),
    "Moral Foundations Questionnaire (MFQ-30)_2": (0, 5), "NEED FOR COGNITION SCALE": (1, 5),
    "Need for Closure Scale (NFCS)": (1, 6), "PROTESTANT WORK ETHIC SCALE_": (1, 7),
    "Personal Need for Structure (PNS) Scale": (1, 6), "Psychological Well-Being Scales": (1, 7),
    "RWA scale 22-item": (1, 9), "Religious Orientation Scale-R": (1, 5),
    "Rosenberg Self-Esteem Scale": (1, 4), "SVQ": (1, 7), "Schwartz_Values": (1, 5),
    "Self-Monitoring Scale": (0, 1), "Self-Monitoring Scale-Revised": (0, 5),
    "Self-Talk Scale": (1, 5), "Social Dominance Orientation Scale 7": (1, 7),
    "Spheres of Control-3": (1, 7), "State Trait Anxiety Inventory": (1, 4),
    "The Internal Representation Questionnaire": (1, 5), "The Satisfaction with Life Scale": (1, 5),
    "Varieties of Inner Speech Questionnaire": (1, 6),
    "Varieties of Inner Speech Questionnaire-R": (1, 7),
}

SUPERSEDED = {
    "IRQ": "The Internal Representation Questionnaire",
    "Varieties of Inner Speech Questionnaire": "Varieties of Inner Speech Questionnaire-R",
}
EXCLUDED = {("Adult Temperament Questionnaire", 7), ("State Trait Anxiety Inventory", 29),
            *(("Basic Psychological Needs Scale", i) for i in range(42, 51))}

ERRATA: list[Erratum] = load_errata(ERRATA_FILE)


def _erratum_id(err: Erratum) -> str:
    where = err.field if err.item_index is None else f"item{err.item_index}"
    return f"{err.questionnaire[:30]}-{where}-{err.source[:15]}"


@pytest.fixture(scope="module")
def instruments() -> dict[str, Instrument]:
    loaded = {}
    for path in sorted(BATTERY_DIR.glob("*.yaml")):
        inst = load_instrument(path)
        assert path.stem == inst.id, f"{path.name}: file name must be <id>.yaml"
        assert inst.name not in loaded, f"{inst.name} defined twice"
        loaded[inst.name] = inst
    return loaded


@pytest.fixture(scope="module")
def battery(instruments: dict[str, Instrument]) -> Battery:
    # The constructor checks that every erratum's source text occurs in its field.
    return Battery(instruments.values(), ERRATA)


@pytest.fixture(scope="module")
def source_entries() -> dict[str, dict]:
    if REFERENCE is None:
        pytest.skip(f"the paper's questionnaires.json is not available ({WHERE})")
    entries = json.loads((REFERENCE / "questionnaires.json").read_text(encoding="utf-8"))
    return {e["quest"]: e for e in entries}


# ---------------------------------------------------------------- files and counts
def test_48_instrument_files(instruments):
    assert len(list(BATTERY_DIR.glob("*.yaml"))) == 48
    assert set(instruments) == set(EXPECTED_ITEMS)
    assert len({i.id for i in instruments.values()}) == 48


def test_status_counts(instruments):
    status = Counter(i.status for i in instruments.values())
    assert status == {"analysed": 46, "superseded": 2}
    by_id = {i.id: i for i in instruments.values()}
    for name, successor in SUPERSEDED.items():
        inst = instruments[name]
        assert inst.status == "superseded"
        assert by_id[inst.superseded_by].name == successor
        assert by_id[inst.superseded_by].status == "analysed"


def test_mfq_parts_share_a_family(instruments):
    families = {i.name: i.family for i in instruments.values() if i.family}
    assert families == {"Moral Foundations Questionnaire (MFQ-30)_1": "mfq-30",
                        "Moral Foundations Questionnaire (MFQ-30)_2": "mfq-30"}


def test_item_counts(instruments):
    for name, inst in instruments.items():
        assert len(inst.items) == EXPECTED_ITEMS[name], name
        assert [i.index for i in inst.items] == list(range(len(inst.items))), \
            f"{name}: item indices must be the 0-based source positions"
    analysed = sum(len(i.items) for i in instruments.values() if i.status == "analysed")
    assert analysed == 1389
    assert sum(len(i.items) for i in instruments.values()) == 1443


def test_active_item_counts(battery, instruments):
    excluded = {(e.questionnaire, e.item_index) for e in ERRATA if e.action == "exclude"}
    assert excluded == EXCLUDED
    active = {name: battery.n_active_items(name) for name in instruments}
    assert sum(active.values()) == 1443 - len(EXCLUDED)
    assert sum(n for name, n in active.items()
               if instruments[name].status == "analysed") == 1389 - len(EXCLUDED)


def test_scale_bounds_match_the_papers_cleaning(instruments):
    for name, inst in instruments.items():
        assert (inst.scale_min, inst.scale_max) == EXPECTED_BOUNDS[name], name


@needs_reference
def test_scale_bounds_match_clean_log(instruments):
    text = (REFERENCE / "clean_log.txt").read_text(encoding="utf-8")
    for name, inst in instruments.items():
        assert f"{name:<50}  [{inst.scale_min}, {inst.scale_max}]" in text or \
            f"{name}  [{inst.scale_min}, {inst.scale_max}]" in text, name


def test_stai_parts_have_their_own_scales(instruments):
    stai = instruments["State Trait Anxiety Inventory"]
    assert set(stai.scales) == {"default", "trait"}
    assert [i.index for i in stai.items if i.scale == "trait"] == list(range(20, 41))
    assert stai.scales["default"].labels[4] == "very much so"
    assert stai.scales["trait"].labels[4] == "almost always"


def test_scale_labels_are_clean(instruments):
    for inst in instruments.values():
        for scale in inst.scales.values():
            for label in scale.labels.values():
                assert label == label.strip() and "  " not in label, (inst.name, label)


# ---------------------------------------------------------------- fidelity to the source
@needs_reference
def test_source_texts_are_byte_identical(instruments, source_entries):
    assert set(source_entries) == set(instruments)
    for name, entry in source_entries.items():
        inst = instruments[name]
        assert inst.source.scale_prompt == entry["scale_prompt"], name
        assert inst.source.pre_prompt == entry["pre_prompt"], name
        assert [i.text for i in inst.items] == entry["items"], name


# ---------------------------------------------------------------- errata
def test_errata_file_is_consistent(battery):
    assert len(battery.errata) == len(ERRATA) > 0
    per_item = Counter((e.questionnaire, e.item_index) for e in ERRATA if e.field == "item")
    assert max(per_item.values()) == 1, "one item erratum per item (merge fixes into one)"
    for err in ERRATA:
        assert err.source, "empty source text"
        if err.action == "correct":
            assert err.corrected != err.source


@pytest.mark.parametrize("err", ERRATA, ids=[_erratum_id(e) for e in ERRATA])
def test_erratum(err: Erratum, battery: Battery, instruments):
    inst = instruments[err.questionnaire]
    if err.field == "item":
        original = inst.item(err.item_index).text
        fixed = {i.item_index: i for i in battery.items(inst.name, mode="corrected")}
        raw = {i.item_index: i for i in battery.items(inst.name, mode="source")}
        # Source mode: the text exactly as the authors ran it, administered.
        assert raw[err.item_index].text == original
        assert err.source in raw[err.item_index].text
        assert raw[err.item_index].active
        if err.action == "exclude":
            assert not fixed[err.item_index].active
            assert fixed[err.item_index].text == original  # still there for scoring
        else:
            assert fixed[err.item_index].active
            assert fixed[err.item_index].text == original.replace(err.source, err.corrected)
            assert err.corrected in fixed[err.item_index].text
            if err.source not in err.corrected:
                assert err.source not in fixed[err.item_index].text
    elif err.field == "instructions":
        assert battery.instructions(inst, mode="source") == inst.source.pre_prompt
        assert err.source in battery.instructions(inst, mode="source")
        corrected = battery.instructions(inst, mode="corrected")
        assert err.corrected in corrected
        if err.source not in err.corrected:
            assert err.source not in corrected
        # the items carry the same instructions
        assert battery.items(inst.name, mode="corrected")[0].instructions == corrected
        assert battery.items(inst.name, mode="source")[0].instructions == inst.source.pre_prompt
    else:  # scale: documents where the structured scale departs from the source prompt
        assert err.source in inst.source.scale_prompt
        assert all(err.source in i.scale_text for i in battery.items(inst.name, mode="source"))
        rendered = [render_scale(s) for s in inst.scales.values()]
        assert not any(err.source in r for r in rendered)
        shown = {i.scale_text for i in battery.items(inst.name, mode="corrected")}
        assert shown <= set(rendered)
        if err.corrected:
            assert any(err.corrected in r for r in rendered)
