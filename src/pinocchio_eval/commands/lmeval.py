"""``pinocchio-eval lm-eval-path``: where lm-eval finds the pinocchio task YAML."""

from __future__ import annotations

import click

from ..lmeval import lm_eval_path
from ._common import command


@command("lm-eval-path")
def lm_eval_path_command() -> None:
    """Print the folder to pass to lm-eval's --include_path.

    \b
    lm_eval --include_path "$(pinocchio-eval lm-eval-path)" --tasks pinocchio ...

    \b
    lm-eval's own options first: --limit, --gen_kwargs max_gen_toks=..., --system_instruction
    (a persona), --apply_chat_template, --seed. Select questionnaires with
    --metadata '{"questionnaires": "bai,swls"}' ("all" adds the superseded ones).
    """
    click.echo(str(lm_eval_path()))


def register(cli_group: click.Group) -> None:
    """Add the lm-eval commands to the main ``pinocchio-eval`` group."""
    cli_group.add_command(lm_eval_path_command)
