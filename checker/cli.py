"""The command line: turns options into library calls and the report into an exit code."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import click

from checker.errors import SchemaDiffError, UsageError
from checker.jsonvalues import printable
from checker.gate import declarations_for, exit_code
from checker.model import Mode, Report, Severity
from checker.pipeline import Outcome, Request, run
from checker.project import PROJECT_FILE, append_declarations, find_project
from checker.reporters import ANNOTATING_FORMATS, REPORTERS, write_report
from checker.rules import RULES, Rule
from checker.history import History, git_tag_releases, npm_releases, oldest_broken, pypi_releases, store_releases
from checker.reporters.history import (
    write_changelog_html,
    write_changelog_json,
    write_changelog_markdown,
    write_changelog_text,
    write_transitive_json,
    write_transitive_text,
)
from checker.semver import parse_version
from checker.sources import SourceOptions, default_cache_dir, npm, pypi
from checker.sources.store import parse_version as parse_folder_version

EXIT_OK, EXIT_BREAKING, EXIT_ERROR = 0, 1, 2


class OutputError(SchemaDiffError):
    """Standard output cannot be written, because the disk is full or the reader closed the pipe."""


class OutputGuardedCommand(click.Command):
    """A command whose --help output fails with OutputError, as a report does, when standard output cannot be written."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        # Parsing reads no files, so its only OSError comes from writing --help or --version.
        # Without this, click turns a closed pipe into exit status 1, which reads as "breaking changes".
        with _writing_output():
            return super().make_context(info_name, args, parent, **extra)


class DefaultCommandGroup(click.Group):
    """A group that runs `compare` when the first argument names no other command."""

    command_class = OutputGuardedCommand

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        with _writing_output():
            return super().make_context(info_name, args, parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            # With no arguments, print the help to stderr and exit 2, as for any other usage error.
            click.echo(ctx.get_help(), err=True, color=ctx.color)
            ctx.exit(EXIT_ERROR)
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
    schema-diff accept OLD NEW --reason TEXT   declare the breaking changes
    schema-diff changelog            release notes for every version in the store
    schema-diff transitive [VERSION] check a version against every earlier one
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


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that name what to compare, shared by `compare` and `accept`."""
    options = [
        click.argument("sources", nargs=-1, metavar="[OLD NEW | PATH]"),
        click.option("--mode", type=click.Choice([mode.value for mode in Mode]), default=Mode.FULL.value, show_default=True,
                     help="Directions that must hold: backward (new schema accepts old data), forward (old schema accepts new data), or full (both)."),
        click.option("--ref-map", "ref_map", multiple=True, callback=_parse_ref_map, metavar="URL=PATH",
                     help="Judge references to URL (or below it, for a folder) with the local file or folder PATH. Repeatable."),
        click.option("--store", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True,
                     help="Folder of version folders that bare version names such as 1.5.1 refer to."),
        click.option("--latest", is_flag=True, help="Compare the two highest versions in the store; give no OLD or NEW."),
        click.option("--against", metavar="REV", help="Compare PATH at git revision REV with PATH in the working tree; give PATH only."),
        click.option("--staged", is_flag=True, help="With --against: compare with PATH as staged in the git index, not the working tree."),
        click.option("--npm-registry", metavar="URL", help="npm registry for npm: sources. Default: the one npm is configured with."),
        click.option("--index-url", metavar="URL", help="Package index (simple API) for pypi: sources. Default: the one pip is configured with."),
        click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
                     help="Folder for downloaded packages. Default: $SCHEMA_DIFF_CACHE, else $XDG_CACHE_HOME/schema-diff, else ~/.cache/schema-diff."),
        click.option("--config", type=click.Path(path_type=Path), default=None,
                     help="Project file with settings and declared breaking changes. Default: schema-diff.toml, else [tool.schema-diff] in pyproject.toml, in the current folder."),
        click.option("--old-version", metavar="VERSION", help="Version of OLD, for the semver check (default: from the store folder or a package manifest)."),
        click.option("--new-version", metavar="VERSION", help="Version of NEW, for the semver check."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _request(sources: tuple[str, ...], mode: str, ref_map: dict[str, str], store: Path, latest: bool, against: str | None,
             npm_registry: str | None, index_url: str | None, cache_dir: Path | None, config: Path | None,
             old_version: str | None, new_version: str | None, staged: bool = False, locate_lines: bool = False,
             witnesses: bool = False) -> Request:
    options = SourceOptions(store=store, npm_registry=npm_registry, index_url=index_url,
                            cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
    return Request(sources, options, Mode(mode), latest, against, ref_map, config, old_version, new_version, locate_lines,
                   witnesses, staged)


@cli.command()
@source_options
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Report format written to stdout.")
@click.option("--fail-on", type=click.Choice([Severity.BREAKING.value, Severity.POTENTIALLY_BREAKING.value]),
              default=Severity.BREAKING.value, show_default=True, help="Lowest severity of undeclared change that fails the run.")
@click.option("--semver", "semver_gate", is_flag=True,
              help="Let the version numbers decide: undeclared breaking changes pass in a major release and fail otherwise.")
@click.option("--strict", is_flag=True, help="Fail when a declaration in the project file matches no change.")
@click.option("--all", "include_cosmetic", is_flag=True, help="List cosmetic changes in Markdown and HTML reports too.")
@click.option("--transitive", "transitive_check", is_flag=True,
              help="Compare NEW (a version in the store; default: the newest) with every earlier version, as `schema-diff transitive` does.")
@click.option("--explain", is_flag=True,
              help="Show, under each breaking change, an instance that one version accepts and the other rejects (the JSON report always has them).")
@click.option("--color/--no-color", default=None, help="Colour the text report. Default: only on a terminal.")
@click.pass_context
def compare(context: click.Context, output_format: str, fail_on: str, semver_gate: bool, strict: bool, include_cosmetic: bool,
            transitive_check: bool, explain: bool, color: bool | None, **request_options: Any) -> None:
    """Compare OLD with NEW and exit 1 on undeclared breaking changes.

    \b
    OLD and NEW are each one of:
      a file, folder or archive   schemas/1.5.1, schemas.tgz
      a git revision              git:REV:PATH
      an npm package              npm:NAME@VERSION[:SUBPATH]
      a PyPI package              pypi:NAME==VERSION[:SUBPATH]
      a version in the store      1.5.1
    """
    if transitive_check:
        sources = request_options["sources"]
        if len(sources) > 1:
            raise UsageError("--transitive takes at most one argument: the version to check (default: the newest in the store)")
        context.invoke(transitive, version=sources[0] if sources else None, package=None, store=request_options["store"],
                       git_tags=None, since=None, npm_registry=request_options["npm_registry"], index_url=request_options["index_url"],
                       cache_dir=request_options["cache_dir"], mode=request_options["mode"], config=request_options["config"],
                       output_format="json" if output_format == "json" else "text")
        return
    witnesses = output_format == "json" or explain
    if semver_gate and not (request_options["old_version"] and request_options["new_version"]) and not _versions_possible(request_options):
        raise UsageError("--semver needs both versions: name version folders of the store, or give --old-version and --new-version")
    outcome = run(_request(**request_options, locate_lines=output_format in ANNOTATING_FORMATS, witnesses=witnesses))
    for note in outcome.old.notes + outcome.new.notes:
        click.echo(f"schema-diff: note: {note}", err=True)
    if semver_gate and outcome.verdict is None:
        raise UsageError("--semver needs both versions: name version folders of the store, or give --old-version and --new-version")
    report = outcome.report
    stream = _in_pieces()
    # NO_COLOR (no-color.org) turns colour off unless --color is given.
    use_color = color if color is not None else stream.isatty() and not os.environ.get("NO_COLOR")
    with _writing_output():
        write_report(output_format, report, stream, use_color, include_cosmetic)
    _warn_stale([report], strict)

    code = exit_code(report, Severity(fail_on))
    if semver_gate:
        code = _semver_exit(outcome, code)
    if strict and report.stale:
        code = max(code, EXIT_BREAKING)
    context.exit(code)


def _versions_possible(request_options: dict[str, Any]) -> bool:
    # Versions may come from the sources themselves (store folders, packages, manifests),
    # which only reading them shows. Other sources can be rejected before any output.
    return bool(request_options["latest"]) or any(not source.startswith("git:") for source in request_options["sources"]) or bool(request_options["against"])


def _semver_exit(outcome: Outcome, code: int) -> int:
    verdict = outcome.verdict
    if verdict is None:
        raise UsageError("--semver needs both versions: name version folders of the store, or give --old-version and --new-version")
    if verdict.new.is_prerelease or verdict.old.is_prerelease:
        click.echo(f"schema-diff: note: {verdict.old} -> {verdict.new} involves a pre-release; "
                   "the semver check compares their release numbers", err=True)
    if code == EXIT_BREAKING and verdict.sufficient:
        return EXIT_OK
    return code


@cli.command()
@source_options
@click.option("--reason", required=True, help="Why these breaking changes are accepted; stored with each declaration.")
def accept(reason: str, **request_options: Any) -> None:
    """Declare every undeclared breaking change between OLD and NEW in the project file."""
    if not reason.strip():
        raise UsageError("--reason must not be empty")
    outcome = run(_request(**request_options))
    target = outcome.project.path or Path.cwd() / PROJECT_FILE
    entries = declarations_for(outcome.report, reason, outcome.project.table)
    added = append_declarations(target, entries)
    with _writing_output():
        click.echo(f"Added {added} declaration{'s' if added != 1 else ''} to {target}." if added else f"Nothing to declare; {target} is unchanged.")


def _history(store: Path, git_tags: tuple[str, str] | None, package: str | None, since: str | None,
             npm_registry: str | None, index_url: str | None, cache_dir: Path | None, config: Path | None = None,
             minimum: int = 2) -> History:
    options = SourceOptions(store=store, npm_registry=npm_registry, index_url=index_url,
                            cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
    since_version = parse_version(since, "--since") if since else None
    if since is not None and package is None:
        raise UsageError("--since applies to a package history (npm:NAME or pypi:NAME); a store or git tags list every version")
    if git_tags is not None and package is not None:
        raise UsageError("give --git-tags or a package, not both")
    project = find_project(Path.cwd(), config)
    if git_tags is not None:
        return History(git_tag_releases(git_tags[0], git_tags[1], options), project, minimum)
    if package is not None and package.startswith(npm.PREFIX):
        return History(npm_releases(package[len(npm.PREFIX):], since_version, options), project, minimum)
    if package is not None and package.startswith(pypi.PREFIX):
        return History(pypi_releases(package[len(pypi.PREFIX):], since_version, options), project, minimum)
    if package is not None and parse_folder_version(package) is not None:
        raise UsageError(f"{package} is a version, but changelog takes a package (npm:NAME or pypi:NAME) and covers every version")
    if package is not None:
        raise UsageError(f"{package}: name a package as npm:NAME or pypi:NAME")
    return History(store_releases(options), project, minimum)


def history_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that name where the versions of a history come from."""
    options = [
        click.option("--store", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True,
                     help="Folder of version folders (schemas/1.5.1, schemas/1.7.1, ...)."),
        click.option("--git-tags", nargs=2, metavar="PATTERN PATH", default=None,
                     help="Versions are the git tags matching PATTERN (such as 'v*'), with the schemas at PATH."),
        click.option("--since", metavar="VERSION", help="With a package: start at this version."),
        click.option("--npm-registry", metavar="URL", help="npm registry for npm:NAME."),
        click.option("--index-url", metavar="URL", help="Package index for pypi:NAME."),
        click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Folder for downloaded packages."),
        click.option("--mode", type=click.Choice([mode.value for mode in Mode]), default=Mode.FULL.value, show_default=True,
                     help="Directions that must hold between versions."),
        click.option("--config", type=click.Path(path_type=Path), default=None,
                     help="Project file with settings and declared breaking changes. Default: schema-diff.toml in the current folder."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("package", required=False, metavar="[npm:NAME | pypi:NAME]")
@history_options
@click.option("--format", "output_format", type=click.Choice(["markdown", "html", "json", "text"]), default="markdown", show_default=True)
@click.option("--all", "include_cosmetic", is_flag=True, help="List cosmetic changes too.")
def changelog(package: str | None, store: Path, git_tags: tuple[str, str] | None, since: str | None, npm_registry: str | None,
              index_url: str | None, cache_dir: Path | None, mode: str, config: Path | None, output_format: str,
              include_cosmetic: bool) -> None:
    """Release notes for every consecutive pair of versions, newest first."""
    history = _history(store, git_tags, package, since, npm_registry, index_url, cache_dir, config)
    reports = history.changelog(Mode(mode))
    stream = _in_pieces()
    with _writing_output():
        if output_format == "markdown":
            write_changelog_markdown(reports, stream, "Changelog", include_cosmetic)
        elif output_format == "html":
            write_changelog_html(reports, stream, "Changelog", include_cosmetic)
        elif output_format == "json":
            write_changelog_json(reports, stream)
        else:
            write_changelog_text(reports, stream)
    _warn_stale(reports)


@cli.command()
@click.argument("version", required=False)
@click.argument("package", required=False, metavar="[npm:NAME | pypi:NAME]")
@history_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def transitive(context: click.Context, version: str | None, package: str | None, store: Path, git_tags: tuple[str, str] | None,
               since: str | None, npm_registry: str | None, index_url: str | None, cache_dir: Path | None, mode: str,
               config: Path | None, output_format: str) -> None:
    """Compare VERSION (default: the newest) with every earlier version; exit 1 on an undeclared break against any."""
    version, package = _transitive_arguments(version, package)
    history = _history(store, git_tags, package, since, npm_registry, index_url, cache_dir, config, minimum=1)
    newest = history.release(version) if version else history.releases[-1]
    reports = history.transitive(newest, Mode(mode))
    stream = _in_pieces()
    with _writing_output():
        if not reports:
            _write_no_earlier_version(newest.name, output_format, stream)
        elif output_format == "json":
            write_transitive_json(reports, stream)
        else:
            write_transitive_text(reports, stream)
    _warn_stale(reports)
    context.exit(EXIT_BREAKING if oldest_broken(reports) else EXIT_OK)


def _transitive_arguments(version: str | None, package: str | None) -> tuple[str | None, str | None]:
    """Sort the arguments of `transitive` into VERSION and PACKAGE, which may come in either order or alone."""
    arguments = [argument for argument in (version, package) if argument is not None]
    packages = [argument for argument in arguments if argument.startswith((npm.PREFIX, pypi.PREFIX))]
    versions = [argument for argument in arguments if not argument.startswith((npm.PREFIX, pypi.PREFIX))]
    if len(packages) > 1:
        raise UsageError(f"transitive reads one package, but got two: {packages[0]} and {packages[1]}")
    if len(versions) > 1 and parse_folder_version(versions[1]) is None:
        raise UsageError(f"{versions[1]}: name a package as npm:NAME or pypi:NAME")
    if len(versions) > 1:
        older, newer = versions
        raise UsageError(f"transitive checks one version against every earlier one, but got two versions, {older} and {newer} "
                         f"(check {newer} with `schema-diff transitive {newer}`, or compare the two with `schema-diff {older} {newer}`)")
    return (versions[0] if versions else None), (packages[0] if packages else None)


def _write_no_earlier_version(name: str, output_format: str, stream: TextIO) -> None:
    # The history reporters name the checked version from the reports, and here there are none.
    if output_format == "json":
        json.dump({"new": name, "against": [], "breaks": []}, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    stream.write(f"{name} is the oldest version, so there is no earlier version to check it against.\n")


def describe_breaks(rule: Rule) -> str:
    """Describe the directions a rule breaks, in words, including its stricter variant."""
    text = ", ".join(direction.value for direction in _ordered(rule.breaks)) or "none"
    if rule.closed_breaks is not None:
        text += " (" + ", ".join(direction.value for direction in _ordered(rule.closed_breaks)) + f" {rule.variant})"
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
        with _writing_output():
            click.echo(json.dumps(listing, indent=2))
        return EXIT_OK
    width = max(len(rule.id) for rule in RULES.values())
    with _writing_output():
        for rule in RULES.values():
            click.echo(f"{rule.id:<{width}}  breaks: {describe_breaks(rule)}\n{'':<{width}}  {rule.reason}")
    return EXIT_OK


@contextlib.contextmanager
def _writing_output() -> Iterator[None]:
    """Raise OutputError when writing to standard output fails, including the flush at the end.

    Only steps that write output, and read no files, belong inside, so that an OSError here
    can only come from standard output.
    """
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from error


def _warn_stale(reports: list[Report], strict: bool = False) -> None:
    for report in reports:
        for stale in report.stale:
            click.echo(f"schema-diff: {'error' if strict else 'warning'}: declaration matches no change: {stale}", err=True)


class _InPieces:
    """Standard output, written in pieces of at most PIECE characters.

    A write larger than the pipe's capacity can end half done, with no error raised, when
    the reader goes away (seen with a 75 kB HTML page into `head -c 10`). Pieces that fit
    the output buffer each fail cleanly instead.
    """

    PIECE = 8192

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        for start in range(0, len(text), self.PIECE):
            self._stream.write(text[start:start + self.PIECE])
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _in_pieces() -> TextIO:
    return cast(TextIO, _InPieces(sys.stdout))


def _discard_output() -> None:
    """Point standard output at os.devnull after a failed write.

    Python flushes standard output again at exit, and that flush would fail the same way
    and print "Exception ignored ... BrokenPipeError" (or OSError) to stderr.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        # Replaced by a stream without a file descriptor (click's CliRunner, pytest's capsys).
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 clean, 1 breaking changes, 2 error."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="schema-diff", standalone_mode=False)
    except click.exceptions.Exit as exit_request:
        return exit_request.exit_code
    except click.ClickException as error:
        click.echo(f"schema-diff: error: {printable(error.format_message())}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("schema-diff: aborted", err=True)
        return EXIT_ERROR
    except OutputError as error:
        click.echo(f"schema-diff: error: {printable(str(error))}", err=True)
        _discard_output()
        return EXIT_ERROR
    except SchemaDiffError as error:
        click.echo(f"schema-diff: error: {printable(str(error))}", err=True)
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001
        # A bug, not bad input. Python would exit with 1, which a CI gate reads as
        # "breaking changes found"; exit 2 says the run failed. SCHEMA_DIFF_DEBUG=1 re-raises
        # for the traceback.
        if os.environ.get("SCHEMA_DIFF_DEBUG"):
            raise
        click.echo(f"schema-diff: internal error: {type(error).__name__}: {printable(str(error))} "
                   "(set SCHEMA_DIFF_DEBUG=1 for the traceback, and please report it with the inputs)", err=True)
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_OK



if __name__ == "__main__":
    raise SystemExit(main())
