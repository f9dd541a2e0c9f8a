"""Time schema-diff on a real pair of schema versions, against parsing alone and against DeepDiff.

By default it compares the alien corpus pair v1.5.1 -> v1.7.1 (312 JSON Schema documents a
side), found at ../shared/corpus/alien beside the repository. It measures:

- schema-diff end to end through the library (`checker.compare_paths`): reading, parsing,
  meta-schema checks of the changed documents, comparing and classifying;
- the baseline: reading the same files and parsing them with the `json` module;
- DeepDiff on every pair of same-named documents, with and without `ignore_order`.
  The documents are parsed beforehand, so DeepDiff's time excludes reading and parsing;
- the command line once, in a subprocess (`python -m checker OLD NEW --format json`),
  which adds interpreter start-up and imports.

Each in-process measurement runs once to warm up, then `--repeat` times, and the median is
printed, followed by the ratios and their targets: schema-diff at most 3x the parse time, and
DeepDiff with `ignore_order` at least 10x schema-diff.

Run from the repository root:

    python benchmarks/bench_alien.py
    python benchmarks/bench_alien.py --old OLD_FOLDER --new NEW_FOLDER --repeat 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

import checker

REPO_ROOT = Path(__file__).resolve().parents[1]
ALIEN = REPO_ROOT.parent / "shared" / "corpus" / "alien"
MAX_PARSE_RATIO = 3.0
MIN_DEEPDIFF_RATIO = 10.0


def median_seconds(work: Callable[[], Any], repeat: int) -> float:
    """Run `work` once to warm up, then `repeat` times, and return the median wall time."""
    work()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def schema_files(root: Path) -> list[Path]:
    """List the `.json` files under a folder (schema-diff also reads YAML, which the corpus lacks)."""
    return sorted(path for path in root.rglob("*.json") if path.is_file())


def parse_folder(root: Path) -> dict[str, Any]:
    """Read and parse every JSON file under a folder, keyed by its path relative to the folder."""
    return {path.relative_to(root).as_posix(): json.loads(path.read_bytes()) for path in schema_files(root)}


def deepdiff_pairs(old: dict[str, Any], new: dict[str, Any], ignore_order: bool) -> None:
    """Run DeepDiff on every pair of documents that have the same path on both sides."""
    for path in sorted(old.keys() & new.keys()):
        DeepDiff(old[path], new[path], ignore_order=ignore_order)


def time_cli(old: Path, new: Path) -> float:
    """Run the command line once in a subprocess and return its wall time."""
    command = [sys.executable, "-m", "checker", str(old), str(new), "--format", "json"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"bench_alien: the command line failed with exit code {result.returncode}: "
                 f"{result.stderr.decode(errors='replace').strip()}")
    return elapsed


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, default=ALIEN / "v1.5.1" / "schemas", help="folder of the old version")
    parser.add_argument("--new", type=Path, default=ALIEN / "v1.7.1" / "schemas", help="folder of the new version")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement after the warm-up (default: 5)")
    arguments = parser.parse_args()
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    for folder in (arguments.old, arguments.new):
        if not folder.is_dir():
            sys.exit(f"bench_alien: schema folder not found: {folder}\n"
                     "The default pair is the alien corpus in ../shared/corpus beside the repository; "
                     "pass --old and --new to use other folders.")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    old, new = arguments.old, arguments.new
    old_documents, new_documents = parse_folder(old), parse_folder(new)
    report = checker.compare_paths(old, new)
    print(f"old: {old} ({len(old_documents)} documents)")
    print(f"new: {new} ({len(new_documents)} documents)")
    print(f"schema-diff found {len(report.changes)} changes; median of {arguments.repeat} runs after a warm-up:\n")

    schema_diff = median_seconds(lambda: checker.compare_paths(old, new), arguments.repeat)
    parse = median_seconds(lambda: (parse_folder(old), parse_folder(new)), arguments.repeat)
    unordered = median_seconds(lambda: deepdiff_pairs(old_documents, new_documents, ignore_order=True), arguments.repeat)
    ordered = median_seconds(lambda: deepdiff_pairs(old_documents, new_documents, ignore_order=False), arguments.repeat)
    cli = time_cli(old, new)

    print(f"  schema-diff (library, end to end)      {schema_diff:8.3f} s")
    print(f"  read + json.loads (baseline)           {parse:8.3f} s")
    print(f"  DeepDiff, ignore_order=True            {unordered:8.3f} s")
    print(f"  DeepDiff, ignore_order=False           {ordered:8.3f} s")
    print(f"  command line, one run in a subprocess  {cli:8.3f} s  (includes start-up and imports)\n")

    parse_ratio = schema_diff / parse
    deepdiff_ratio = unordered / schema_diff
    print(f"  schema-diff / parse                    {parse_ratio:8.1f}x  target at most {MAX_PARSE_RATIO:g}x: "
          f"{verdict(parse_ratio <= MAX_PARSE_RATIO)}")
    print(f"  DeepDiff (ignore_order) / schema-diff  {deepdiff_ratio:8.1f}x  target at least {MIN_DEEPDIFF_RATIO:g}x: "
          f"{verdict(deepdiff_ratio >= MIN_DEEPDIFF_RATIO)}")
    print(f"  DeepDiff (in order) / schema-diff      {ordered / schema_diff:8.1f}x")


if __name__ == "__main__":
    main()
