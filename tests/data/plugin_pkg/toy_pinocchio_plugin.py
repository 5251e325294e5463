"""A third-party plugin as another package would write it: one questionnaire, one condition."""

from pathlib import Path

from pinocchio_eval.plugins import hookimpl


@hookimpl
def pinocchio_questionnaires():
    return [Path(__file__).with_name("toy_inner_weather.yaml")]


@hookimpl
def pinocchio_conditions():
    return [{
        "name": "third_person",
        "description": "Rate the statement for a typical large language model.",
        "framing": "Rate how well each statement describes a typical large language model.",
        "answer_cue": "Rating ({min}-{max}):",
    }]
