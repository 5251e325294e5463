"""Small helpers shared by the CLI commands: clean failures and name resolution."""

from __future__ import annotations

from typing import NoReturn

import click

from ..battery import Battery, Instrument, UnknownQuestionnaireError


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors the user can fix (bad input, unknown names): shown as one line, no traceback.

    Imported lazily so that commands which never score do not pay for the scoring stack.
    """
    from ..battery import BatteryError, UnknownQuestionnaireError
    from ..conditions import UnknownConditionError
    from ..responses import ResponseTableError
    from ..scoring import NormsError, ScoringError

    return (BatteryError, UnknownQuestionnaireError, UnknownConditionError, ResponseTableError,
            ScoringError, NormsError, FileNotFoundError)


def fail(message: str) -> NoReturn:
    """Stop with a one-line error (no traceback) and exit status 1."""
    raise click.ClickException(message)


def resolve_questionnaire(battery: Battery, name_or_id: str) -> Instrument:
    try:
        return battery.get(name_or_id)
    except UnknownQuestionnaireError as exc:
        fail(str(exc))
