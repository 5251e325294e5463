"""Command-line interface (filled in below)."""

import click


@click.group()
def cli() -> None:
    """pinocchio-eval: the Pinocchio Dimension battery and the Π score."""


def main() -> None:
    cli()
