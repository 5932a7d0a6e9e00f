"""The typer application object that every command module registers on, with the global ``--version``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup

#: How an option's value is named in the help when the option gives no metavar of its own.
_VALUE_WORDS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH"}


class _PlainArgument(TyperArgument):
    """An argument shown as ``CASE`` in the usage line (typer writes required arguments as ``{case}``)."""

    def _usage_display_name(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the name (CASE) says what to give; "<str>" beside it says nothing


def _reflow(text: str | None) -> str | None:
    """A help text with each paragraph on one line, so the terminal wraps it (never the source's breaks)."""
    if not text:
        return text
    paragraphs = [" ".join(par.split()) for par in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _plain_help(cmd: Any, ctx: Any) -> None:
    """Name values the way a manual page does: no ``<bool>`` after flags, ``N`` / ``TEXT`` after options,
    ``CASE`` for arguments (typer's defaults are ``<int>``, ``<bool>`` and ``{case}``)."""
    cmd.help = _reflow(cmd.help)
    if hasattr(cmd, "list_commands"):  # a group (accord import ...): its commands too
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and sub is not cmd:
                _plain_help(sub, ctx)
    for p in cmd.get_params(ctx):
        p.help = _reflow(getattr(p, "help", None))
        if isinstance(p, TyperArgument):
            if p.metavar is None:
                p.metavar = (p.name or "value").upper()
            if type(p) is TyperArgument:
                p.__class__ = _PlainArgument
        elif getattr(p, "is_flag", False) or getattr(p, "count", False):
            p.metavar = ""
        elif p.metavar is None:
            desc = getattr(p, "type_descriptor", None)
            choices = getattr(desc, "choices", None) if getattr(desc, "is_choice", False) else None
            if choices:
                p.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
            else:
                bare = p.bare_type() if hasattr(p, "bare_type") else "str"
                p.metavar = _VALUE_WORDS.get(bare.removeprefix("list[").rstrip("]"), "TEXT")


class _AccordGroup(TyperGroup):
    """The command group: every command's help uses :func:`_plain_help`."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            _plain_help(cmd, ctx)
        return cmd

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _plain_help(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    cls=_AccordGroup,
    name="accord",
    help="Accord: find the trades that make every party better off, then claim a fair share.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _print_version(value: bool) -> None:
    if value:
        from accord import __version__

        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print Accord's version and exit.")] = False,
) -> None:
    """Accord: find the trades that make every party better off, then claim a fair share.

    Start with [bold]accord analyze CASE[/bold]; the definitions behind every number are in docs/concepts.md.
    """
