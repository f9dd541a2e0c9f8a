"""The command line: turns options into library calls and the report into an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from checker.engine import compare_paths
from checker.errors import SchemaDiffError
from checker.model import Mode
from checker.reporters import REPORTERS
from checker.rules import RULES, Rule

EXIT_OK, EXIT_BREAKING, EXIT_ERROR = 0, 1, 2


class DefaultCommandGroup(click.Group):
    """A group that runs `compare` when the first argument names no other command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["compare", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="schema-diff")
def cli() -> None:
    """Compare two versions of a set of JSON Schemas and classify every change.

    \b
    schema-diff OLD NEW      compare two files or two folders
    schema-diff rules        list every rule and the directions it breaks
    """


def _parse_ref_map(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for value in values:
        uri, separator, path = value.partition("=")
        if not separator or not uri or not path:
            raise click.BadParameter(f"{value!r} is not URL=PATH")
        mapping[uri] = path
    return mapping


@cli.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--mode", type=click.Choice([mode.value for mode in Mode]), default=Mode.FULL.value, show_default=True,
              help="Directions that must hold: backward (new schema accepts old data), forward (old schema accepts new data), or full (both).")
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Report format written to stdout.")
@click.option("--ref-map", "ref_map", multiple=True, callback=_parse_ref_map, metavar="URL=PATH",
              help="Judge references to URL (or below it, for a folder) with the local file or folder PATH. Repeatable.")
@click.option("--color/--no-color", default=None, help="Colour the text report. Default: only on a terminal.")
def compare(old: str, new: str, mode: str, output_format: str, ref_map: dict[str, str], color: bool | None) -> int:
    """Compare OLD with NEW (two files or two folders); exit 1 on breaking changes."""
    report = compare_paths(old, new, Mode(mode), ref_map)
    stream = click.get_text_stream("stdout")
    use_color = color if color is not None else stream.isatty()
    REPORTERS[output_format](report, stream, use_color)
    return EXIT_BREAKING if report.has_breaking else EXIT_OK


def describe_breaks(rule: Rule) -> str:
    """The directions a rule breaks, in words, including the closed-object variant."""
    text = ", ".join(direction.value for direction in _ordered(rule.breaks)) or "none"
    if rule.closed_breaks is not None:
        text += " (" + ", ".join(direction.value for direction in _ordered(rule.closed_breaks)) + " in a closed object)"
    return text


def _ordered(directions: frozenset[Any]) -> list[Any]:
    from checker.model import ordered_directions

    return ordered_directions(directions)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> int:
    """List every rule with the directions it breaks and why."""
    if output_format == "json":
        listing = [
            {"rule": rule.id, "breaks": [d.value for d in _ordered(rule.breaks)],
             "closed_breaks": [d.value for d in _ordered(rule.closed_breaks)] if rule.closed_breaks is not None else None,
             "impact": rule.impact.value, "reason": rule.reason}
            for rule in RULES.values()
        ]
        click.echo(json.dumps(listing, indent=2))
        return EXIT_OK
    width = max(len(rule.id) for rule in RULES.values())
    for rule in RULES.values():
        click.echo(f"{rule.id:<{width}}  breaks: {describe_breaks(rule)}\n{'':<{width}}  {rule.reason}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 clean, 1 breaking changes, 2 error."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="schema-diff", standalone_mode=False)
    except click.exceptions.Exit as exit_request:
        return exit_request.exit_code
    except click.ClickException as error:
        click.echo(f"schema-diff: error: {error.format_message()}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("schema-diff: aborted", err=True)
        return EXIT_ERROR
    except SchemaDiffError as error:
        click.echo(f"schema-diff: error: {error}", err=True)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): nothing more to say.
        sys.stderr.close()
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
