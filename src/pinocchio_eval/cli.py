"""The ``pinocchio-eval`` command line.

Each area keeps its commands in :mod:`pinocchio_eval.commands`; this module only assembles
them. Every command reports user errors in one line itself (see
:mod:`pinocchio_eval.commands._common`).
"""

from __future__ import annotations

import click

from . import __version__
from .commands import battery, compare, leaderboard, lmeval, replicate, run, score
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


#: Every command module adds its commands the same way: ``register(group)``.
for _module in (battery, score, run, lmeval, leaderboard, compare, replicate):
    _module.register(cli)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
