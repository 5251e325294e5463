"""What every CLI command shares: its click classes (user errors as one line), notes, checks.

Every command and group of ``pinocchio-eval`` is made with :func:`command` or :func:`group`
here, so each one turns the package's user errors (:func:`user_errors`) into a one-line message
and exit status 1 in one place, :meth:`UserErrorsAsMessages.invoke`, whether it runs under the
main ``pinocchio-eval`` group or on its own (as the tests run them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ..battery import Battery, BatteryError, Instrument, UnknownQuestionnaireError
from ..conditions import UnknownConditionError
from ..outputs import OutputPathError, check_output_file, terminal_safe, write_text_atomic
from ..paper_reference import PaperBoardError
from ..readers import read_inputs
from ..responses import ResponseTableError
from ..scoring import NormsError, ScoringError

if TYPE_CHECKING:
    import pandas as pd

    from ..readers import Inputs

F = TypeVar("F", bound=Callable[..., Any])


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors the user can fix (bad input, unknown names): shown as one line, no traceback."""
    # Imported here the leaderboard loads after the scoring package; imported at the top of
    # this module it loads first and the CLI starts ~0.15 s slower (measured; scipy's imports).
    from ..leaderboard.exporters import UnknownFormatError  # lazy: start (import order)
    from ..leaderboard.paper import PaperLogError  # lazy: start (import order)

    return (BatteryError, UnknownQuestionnaireError, UnknownConditionError, ResponseTableError,
            ScoringError, NormsError, FileNotFoundError, OutputPathError, UnknownFormatError,
            PaperBoardError, PaperLogError)


class UserErrorsAsMessages:
    """Mixin for click commands: a :func:`user_errors` exception ends as a one-line message
    (``Error: ...``, exit status 1) instead of a traceback. The one place the CLI does this."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except user_errors() as exc:
            raise click.ClickException(str(exc)) from exc


class Command(UserErrorsAsMessages, click.Command):
    """A ``pinocchio-eval`` command."""


class Group(UserErrorsAsMessages, click.Group):
    """A ``pinocchio-eval`` command group: its sub-commands are :class:`Command`, its
    sub-groups :class:`Group`."""

    command_class = Command
    group_class = type  # sub-groups made with ``@a_group.group()`` are Groups too


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Command]:
    """``@click.command`` for this CLI: the command reports user errors in one line."""
    return click.command(name, cls=Command, **kwargs)


def group(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], Group]:
    """``@click.group`` for this CLI: every command added through it is a :class:`Command`."""
    return click.group(name, cls=Group, **kwargs)


def fail(message: str) -> NoReturn:
    """Stop with a one-line error (no traceback) and exit status 1."""
    raise click.ClickException(terminal_safe(message))


def echo_notes(notes: Iterable[str]) -> None:
    """Print notes to stderr, one per line, control characters escaped."""
    for note in notes:
        click.echo(f"note: {terminal_safe(note)}", err=True)


include_superseded_option = click.option(
    "--include-superseded", is_flag=True,
    help="Also score superseded instruments (left out by default).")


def input_options(func: F) -> F:
    """``--all-runs`` and ``--drop-unknown-items``: how harness outputs are read."""
    func = click.option(
        "--drop-unknown-items", is_flag=True,
        help="Leave out rows whose item_index the instrument does not have (named in a "
             "note) instead of stopping with an error.")(func)
    return click.option(
        "--all-runs", is_flag=True,
        help="Keep every run found in the inputs. By default each (harness, task, model) "
             "keeps only its latest complete run and the skipped runs are listed in notes; "
             "with this flag a model run several times appears once per run, as "
             "'<model> [run <start time>]'.")(func)


def read_responses(inputs: tuple[str, ...], out: str | None = None, all_runs: bool = False,
                   drop_unknown_items: bool = False) -> Inputs:
    """Check the output path first (no work is wasted on an unwritable one), then read the
    inputs; stop if they hold no Pinocchio response."""
    if out:
        check_output_file(out, inputs)
    got = read_inputs(inputs, all_runs=all_runs, drop_unknown_items=drop_unknown_items)
    if got.responses.empty:
        raise ResponseTableError(f"no Pinocchio responses found in {list(inputs)}")
    return got


def load_responses(inputs: tuple[str, ...], out: str | None = None) -> pd.DataFrame:
    """The response table; what reading skipped or dropped is printed as notes."""
    got = read_responses(inputs, out)
    echo_notes(got.notes)
    return got.responses


def write_output(text: str, out: str | None) -> None:
    """Write ``text`` to ``--out`` (atomically, naming the file on stderr), or to stdout."""
    if out:
        write_text_atomic(out, text)
        click.echo(f"wrote {terminal_safe(out)}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def check_norms(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback: a ``--norms`` file must be JSON text, checked before any work starts."""
    if value is None:
        return value
    path = Path(value)
    if path.is_dir():
        raise click.BadParameter(f"{path}: is a folder; give the norms JSON file")
    if not path.is_file():
        raise click.BadParameter(f"{path}: no such norms file")
    try:
        json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise click.BadParameter(
            f"{terminal_safe(path)}: not a norms file (not JSON text); give the file written "
            "by 'pinocchio-eval calibrate --out'") from None
    return value


def resolve_questionnaire(battery: Battery, name_or_id: str) -> Instrument:
    try:
        return battery.get(name_or_id)
    except UnknownQuestionnaireError as exc:
        fail(str(exc))
