"""Time schema-diff on a real pair of schema versions, against parsing alone and against DeepDiff.

By default it compares the alien corpus pair v1.5.1 -> v1.7.1 (312 JSON Schema documents a
side), found at ../shared/corpus/alien beside the repository. It measures:

- schema-diff end to end through the library (`checker.compare_paths`): reading, parsing,
  meta-schema checks of the changed documents, comparing and classifying;
- schema-diff's comparison alone (`checker.compare` on documents loaded beforehand), which
  is the part to set against DeepDiff's time;
- the baseline: reading the same files and parsing them with the `json` module;
- DeepDiff on every pair of same-named documents, with and without `ignore_order`.
  The documents are parsed beforehand, so DeepDiff's time excludes reading and parsing.
  schema-diff skips documents whose bytes are equal, so DeepDiff is also timed on the
  changed pairs only, to show how much of the gap that shortcut alone explains;
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
import functools
import gc
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
    """Collect garbage, run `work` once to warm up, then `repeat` times, and return the median wall time."""
    gc.collect()
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


def deepdiff_pairs(old: dict[str, Any], new: dict[str, Any], paths: list[str], ignore_order: bool) -> None:
    """Run DeepDiff on each pair of documents named in `paths`."""
    for path in paths:
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
    parser.add_argument("--old", type=Path, default=ALIEN / "v1.5.1" / "schemas", help="folder of the old version (default: alien v1.5.1)")
    parser.add_argument("--new", type=Path, default=ALIEN / "v1.7.1" / "schemas", help="folder of the new version (default: alien v1.7.1)")
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


def measure(old: Path, new: Path, paired: list[str], changed: list[str], repeat: int) -> dict[str, float]:
    """Time every measurement and return the medians, in seconds, by name.

    The end-to-end runs come first, while no other copy of the corpus is in memory, because
    a larger heap makes the garbage collector slower for every measurement that allocates.
    """
    times = {
        "schema-diff": median_seconds(lambda: checker.compare_paths(old, new), repeat),
        "parse": median_seconds(lambda: (parse_folder(old), parse_folder(new)), repeat),
    }

    old_set, new_set = checker.load_path(old), checker.load_path(new)
    times["compare only"] = median_seconds(lambda: checker.compare(old_set, new_set), repeat)
    del old_set, new_set

    old_documents, new_documents = parse_folder(old), parse_folder(new)
    for name, paths, ignore_order in [("DeepDiff unordered", paired, True), ("DeepDiff ordered", paired, False),
                                      ("DeepDiff changed", changed, True)]:
        times[name] = median_seconds(functools.partial(deepdiff_pairs, old_documents, new_documents, paths, ignore_order), repeat)

    times["command line"] = time_cli(old, new)
    return times


def print_results(times: dict[str, float]) -> None:
    print(f"  schema-diff (library, end to end)      {times['schema-diff']:8.3f} s")
    print(f"  schema-diff, compare only              {times['compare only']:8.3f} s  (documents loaded beforehand)")
    print(f"  read + json.loads (baseline)           {times['parse']:8.3f} s")
    print(f"  DeepDiff, ignore_order=True            {times['DeepDiff unordered']:8.3f} s")
    print(f"  DeepDiff, ignore_order=False           {times['DeepDiff ordered']:8.3f} s")
    print(f"  DeepDiff, ignore_order=True, changed   {times['DeepDiff changed']:8.3f} s  (changed pairs only)")
    print(f"  command line, one run in a subprocess  {times['command line']:8.3f} s  (includes start-up and imports)\n")

    parse_ratio = times["schema-diff"] / times["parse"]
    deepdiff_ratio = times["DeepDiff unordered"] / times["schema-diff"]
    print(f"  schema-diff / parse                    {parse_ratio:8.2f}x  target at most {MAX_PARSE_RATIO:g}x: "
          f"{verdict(parse_ratio <= MAX_PARSE_RATIO)}")
    print(f"  DeepDiff (ignore_order) / schema-diff  {deepdiff_ratio:8.2f}x  target at least {MIN_DEEPDIFF_RATIO:g}x: "
          f"{verdict(deepdiff_ratio >= MIN_DEEPDIFF_RATIO)}")
    print(f"  DeepDiff (in order) / schema-diff      {times['DeepDiff ordered'] / times['schema-diff']:8.2f}x")
    print(f"  DeepDiff (changed only) / schema-diff  {times['DeepDiff changed'] / times['schema-diff']:8.2f}x")
    print(f"  DeepDiff (changed only) / compare only {times['DeepDiff changed'] / times['compare only']:8.2f}x")


def main() -> None:
    arguments = parse_arguments()
    old, new = arguments.old, arguments.new
    old_paths = {path.relative_to(old).as_posix() for path in schema_files(old)}
    new_paths = {path.relative_to(new).as_posix() for path in schema_files(new)}
    paired = sorted(old_paths & new_paths)
    changed = [path for path in paired if (old / path).read_bytes() != (new / path).read_bytes()]
    change_count = len(checker.compare_paths(old, new).changes)

    print(f"old: {old} ({len(old_paths)} documents)")
    print(f"new: {new} ({len(new_paths)} documents)")
    print(f"{len(paired)} documents on both sides, {len(changed)} of them changed; schema-diff found {change_count} changes")
    print(f"Median of {arguments.repeat} runs after a warm-up:\n")
    print_results(measure(old, new, paired, changed, arguments.repeat))


if __name__ == "__main__":
    main()
