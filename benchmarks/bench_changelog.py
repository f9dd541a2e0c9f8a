"""Time `schema-diff changelog` over the alien releases, with 2, 3, ... 8 versions in the store.

The store is a temporary folder of symbolic links named by version (v1.5.1, v1.7.1, ...) to the
`schemas` folders of the alien corpus at ../shared/corpus/alien beside the repository. For each
count N of versions, oldest first, it times what the changelog command does in-process:
`History(store_releases(...)).changelog(Mode.FULL)` (reading and parsing each version once,
then comparing N - 1 consecutive pairs) and writing the Markdown changelog to memory. It prints
the time and the time per pair. As a baseline it prints the time to read and parse the same N
folders with the `json` module, and the ratio of the two. Together they show how the time grows
with the number of versions. Then it times each version's reading and each pair's comparison on their own,
which shows where the time goes, and last it runs the command line once over all eight
versions in a subprocess.

Each in-process figure is the median of `--repeat` runs after one warm-up run.

Run from the repository root:

    python benchmarks/bench_changelog.py
    python benchmarks/bench_changelog.py --repeat 5
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.history import History, store_releases
from checker.model import Mode
from checker.reporters.history import write_changelog_markdown
from checker.sources import SourceOptions

REPO_ROOT = Path(__file__).resolve().parents[1]
ALIEN = REPO_ROOT.parent / "shared" / "corpus" / "alien"
VERSIONS = ["v1.5.1", "v1.7.1", "v1.10.4", "v1.10.5", "v3.2.0", "v3.3.0", "v3.3.1", "v3.3.2"]


def median_seconds(work: Callable[[], Any], repeat: int) -> float:
    """Collect garbage, run `work` once to warm up, then `repeat` times, and return the median wall time."""
    gc.collect()
    work()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def make_store(folder: Path, versions: list[str]) -> Path:
    """Create a store in `folder` whose entries link to the corpus folders of `versions`."""
    folder.mkdir()
    for version in versions:
        (folder / version).symlink_to(ALIEN / version / "schemas", target_is_directory=True)
    return folder


def changelog(store: Path) -> History:
    """Build the Markdown changelog of a store as the command does, and return the history for its read counts."""
    history = History(store_releases(SourceOptions(store=store, note=lambda message: None)))
    write_changelog_markdown(history.changelog(Mode.FULL), io.StringIO(), "Changelog")
    return history


def parse_folders(versions: list[str]) -> list[dict[str, Any]]:
    """Read and parse every JSON file of each version's schema folder."""
    return [{path.name: json.loads(path.read_bytes()) for path in sorted((ALIEN / version / "schemas").glob("*.json"))}
            for version in versions]


def time_cli(store: Path) -> float:
    """Run `schema-diff changelog --store STORE` once in a subprocess and return its wall time."""
    command = [sys.executable, "-m", "checker", "changelog", "--store", str(store)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench_changelog: the command line failed with exit code {result.returncode}: "
                 f"{result.stderr.decode(errors='replace').strip()}")
    return elapsed


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement after the warm-up (default: 3)")
    arguments = parser.parse_args()
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    missing = [version for version in VERSIONS if not (ALIEN / version / "schemas").is_dir()]
    if missing:
        sys.exit(f"bench_changelog: alien versions not found under {ALIEN}: {', '.join(missing)}")
    return arguments


def print_growth(root: Path, repeat: int) -> None:
    """Time the changelog and the json baseline for the first 2, 3, ... versions."""
    print(f"  {'versions':>8} {'pairs':>5} {'changelog':>10} {'per pair':>9} {'json parse':>11} {'ratio':>7}  newest version")
    for count in range(2, len(VERSIONS) + 1):
        store = make_store(root / f"store-{count}", VERSIONS[:count])
        reads = changelog(store).reads
        if sorted(reads.values()) != [1] * count:
            sys.exit(f"bench_changelog: expected each of {count} versions read once, got {reads}")
        seconds = median_seconds(lambda: changelog(store), repeat)
        parse = median_seconds(lambda: parse_folders(VERSIONS[:count]), repeat)
        pairs = count - 1
        print(f"  {count:>8} {pairs:>5} {seconds:>10.3f} {seconds / pairs:>9.3f} {parse:>11.3f} {seconds / parse:>6.2f}x  {VERSIONS[count - 1]}")


def print_parts(store: Path, repeat: int) -> None:
    """Time each version's reading and each pair's comparison on their own, to show where the time goes."""
    history = History(store_releases(SourceOptions(store=store, note=lambda message: None)))
    releases = history.releases
    print(f"  {'version':>8} {'read + parse':>13} {'json parse':>11}   {'pair':<20} {'compare':>8} {'changes':>8}")
    total_read = total_compare = 0.0
    for position, release in enumerate(releases):
        read = median_seconds(release.read, repeat)
        parse = median_seconds(lambda: parse_folders([release.name]), repeat)
        total_read += read
        line = f"  {release.name:>8} {read:>13.3f} {parse:>11.3f}"
        if position > 0:
            older = releases[position - 1]
            history.documents(older)
            history.documents(release)
            compare = median_seconds(lambda: history.compare(older, release, Mode.FULL), repeat)
            total_compare += compare
            changes = len(history.compare(older, release, Mode.FULL).changes)
            line += f"   {older.name + ' -> ' + release.name:<20} {compare:>8.3f} {changes:>8}"
        print(line)
    print(f"  {'sum':>8} {total_read:>13.3f} {'':>11}   {'':<20} {total_compare:>8.3f}")


def main() -> None:
    arguments = parse_arguments()
    documents = [len(list((ALIEN / version / "schemas").glob("*.json"))) for version in VERSIONS]
    print(f"store: links to {ALIEN}/<version>/schemas")
    print("versions: " + ", ".join(f"{version} ({count} documents)" for version, count in zip(VERSIONS, documents)))
    print(f"Median of {arguments.repeat} runs after a warm-up, in seconds.\n")

    with tempfile.TemporaryDirectory(prefix="bench-changelog-") as temporary:
        root = Path(temporary)
        print("The changelog over the first N versions, oldest first:\n")
        print_growth(root, arguments.repeat)
        print("\nWhere the time goes: each version read on its own, each pair compared on its own (versions read beforehand):\n")
        print_parts(root / f"store-{len(VERSIONS)}", arguments.repeat)
        cli = time_cli(root / f"store-{len(VERSIONS)}")
    print(f"\n  command line, {len(VERSIONS)} versions, one run in a subprocess: {cli:.3f} s (includes start-up and imports)")


if __name__ == "__main__":
    main()
