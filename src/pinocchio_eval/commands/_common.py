"""Small helpers shared by the CLI commands: clean failures and name resolution."""

from __future__ import annotations

from typing import NoReturn

import click

from ..battery import Battery, Instrument, UnknownQuestionnaireError


def fail(message: str) -> NoReturn:
    """Stop with a one-line error (no traceback) and exit status 1."""
    raise click.ClickException(message)


def resolve_questionnaire(battery: Battery, name_or_id: str) -> Instrument:
    try:
        return battery.get(name_or_id)
    except UnknownQuestionnaireError as exc:
        fail(str(exc))
