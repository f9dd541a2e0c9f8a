"""The command line: turns options into library calls and the report into an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

import checker
from checker.documents import DocumentSet
from checker.engine import load_ref_map
from checker.errors import SchemaDiffError
from checker.model import Mode
from checker.reporters import REPORTERS
from checker.rules import RULES, Rule
from checker.sources import SourceOptions, default_cache_dir, open_against, open_latest, open_source

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
    schema-diff OLD NEW              compare two sources (files, folders, archives,
                                     git revisions, packages, store versions)
    schema-diff --against REV PATH   compare PATH at a git revision with the working tree
    schema-diff --latest             compare the two highest versions in the store
    schema-diff rules                list every rule and the directions it breaks
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
@click.argument("sources", nargs=-1, metavar="[OLD NEW | PATH]")
@click.option("--mode", type=click.Choice([mode.value for mode in Mode]), default=Mode.FULL.value, show_default=True,
              help="Directions that must hold: backward (new schema accepts old data), forward (old schema accepts new data), or full (both).")
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Report format written to stdout.")
@click.option("--ref-map", "ref_map", multiple=True, callback=_parse_ref_map, metavar="URL=PATH",
              help="Judge references to URL (or below it, for a folder) with the local file or folder PATH. Repeatable.")
@click.option("--color/--no-color", default=None, help="Colour the text report. Default: only on a terminal.")
@click.option("--store", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True,
              help="Folder of version folders that bare version names such as 1.5.1 refer to.")
@click.option("--latest", is_flag=True, help="Compare the two highest versions in the store; give no OLD or NEW.")
@click.option("--against", metavar="REV",
              help="Compare PATH at git revision REV with PATH in the working tree; give PATH only.")
@click.option("--npm-registry", metavar="URL", help="npm registry for npm: sources. Default: the one npm is configured with.")
@click.option("--index-url", metavar="URL", help="Package index (simple API) for pypi: sources. Default: the one pip is configured with.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Folder for downloaded packages. Default: $SCHEMA_DIFF_CACHE, else $XDG_CACHE_HOME/schema-diff, else ~/.cache/schema-diff.")
def compare(sources: tuple[str, ...], mode: str, output_format: str, ref_map: dict[str, str], color: bool | None,
            store: Path, latest: bool, against: str | None, npm_registry: str | None, index_url: str | None,
            cache_dir: Path | None) -> int:
    """Compare OLD with NEW and exit 1 on breaking changes.

    \b
    OLD and NEW are each one of:
      a file, folder or archive   schemas/1.5.1, schemas.tgz
      a git revision              git:REV:PATH
      an npm package              npm:NAME@VERSION[:SUBPATH]
      a PyPI package              pypi:NAME==VERSION[:SUBPATH]
      a version in the store      1.5.1
    """
    options = SourceOptions(store=store, npm_registry=npm_registry, index_url=index_url,
                            cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
    old_set, new_set = _open_sources(sources, latest, against, options)
    report = checker.compare(old_set, new_set, Mode(mode), load_ref_map(ref_map))
    stream = click.get_text_stream("stdout")
    use_color = color if color is not None else stream.isatty()
    REPORTERS[output_format](report, stream, use_color)
    return EXIT_BREAKING if report.has_breaking else EXIT_OK


def _open_sources(sources: tuple[str, ...], latest: bool, against: str | None,
                  options: SourceOptions) -> tuple[DocumentSet, DocumentSet]:
    """Check that the arguments fit the options, then read both sides."""
    if latest and against is not None:
        raise click.UsageError("--latest and --against cannot be used together")
    if latest:
        if sources:
            raise click.UsageError("--latest compares the two highest versions in the store; give no OLD or NEW")
        return open_latest(options)
    if against is not None:
        if len(sources) != 1:
            raise click.UsageError(f"--against REV takes exactly one argument, PATH; got {len(sources)}")
        return open_against(against, sources[0], options)
    # The same words click uses for OLD and NEW when they were two plain arguments.
    if len(sources) < 2:
        raise click.UsageError(f"Missing argument '{('OLD', 'NEW')[len(sources)]}'.")
    if len(sources) > 2:
        extra = sources[2:]
        raise click.UsageError(f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})")
    return open_source(sources[0], options), open_source(sources[1], options)


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
