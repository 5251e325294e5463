"""The ``pinocchio-eval`` command line.

Each area keeps its commands in :mod:`pinocchio_eval.commands`; this module only assembles
them (every command reports user errors in one line itself: :mod:`pinocchio_eval.commands._common`).
"""

from __future__ import annotations

import click

from . import __version__
from .commands import battery as battery_commands
from .commands import compare as compare_commands
from .commands import leaderboard as leaderboard_commands
from .commands import lmeval as lmeval_commands
from .commands import replicate as replicate_commands
from .commands import run as run_commands
from .commands import score as score_commands
from .commands._common import group


@group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinocchio-eval")
def cli() -> None:
    """The Pinocchio Dimension battery for LLM evaluation harnesses, and the Π score.

    \b
    Look at the battery:   pinocchio-eval battery list | show NAME | validate
    See a prompt:          pinocchio-eval prompt BFI-2 0 --condition llm_analog
    Parse an answer:       pinocchio-eval parse "4 - Agree" -q BFI-2
    Run on the local model: pinocchio-eval run-local [-q quick]
    Score Π:               pinocchio-eval score LOGS_OR_TABLES... [--method panel,axis,self]
    Build a leaderboard:   pinocchio-eval leaderboard build LOGS... --out DIR
    Did a fine-tune move Π: pinocchio-eval compare LOGS... --a BASE --b TUNED
    Re-run the paper:      pinocchio-eval replicate --dry-run | report LOGS --compare-paper
    """


for _command in battery_commands.COMMANDS:
    cli.add_command(_command)
score_commands.register(cli)
run_commands.register(cli)
lmeval_commands.register(cli)
leaderboard_commands.register(cli)
compare_commands.register(cli)
replicate_commands.register(cli)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
