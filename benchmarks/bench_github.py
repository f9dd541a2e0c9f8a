"""Time schema-diff on GitHub's REST API description, GHES 3.17 against 3.18, and measure its memory.

The two OpenAPI 3.0 documents (`ghes-3.17.json.gz`, `ghes-3.18.json.gz`, about 11 MB each
unpacked) are read from ../shared/corpus/github beside the repository. It measures:

- schema-diff end to end through the library (`checker.compare_paths`): unpacking, parsing,
  matching operations, comparing and classifying, in this process;
- the command line in a subprocess (`python -m checker OLD NEW --format json`, stdout thrown
  away): wall time including interpreter start-up, imports and parsing, and the peak
  resident memory of that subprocess (`ru_maxrss` from `os.wait4`). Imports are served
  from cached bytecode, as for an installed package. The command line is also timed with
  the environment as inherited, and start-up with imports alone is timed as well;
- the baseline: gunzipping and parsing both files with the json module.

Each measurement runs once to warm up, then `--repeat` times; times are medians and memory
is the highest peak seen. The targets are under 2 s wall time for the command line and under
800 MB peak memory. `--profile` adds a cProfile of one library run, sorted by own time.

Run from the repository root:

    python benchmarks/bench_github.py
    python benchmarks/bench_github.py --repeat 9 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import checker

REPO_ROOT = Path(__file__).resolve().parents[1]
GITHUB = REPO_ROOT.parent / "shared" / "corpus" / "github"
MAX_WALL_SECONDS = 2.0
MAX_PEAK_MEGABYTES = 800.0


def median_seconds(work: Callable[[], Any], repeat: int) -> float:
    """Run `work` once to warm up, then `repeat` times, and return the median wall time."""
    work()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def parse_both(old: Path, new: Path) -> None:
    """Gunzip and parse both documents with the json module, the floor for any comparison."""
    for path in (old, new):
        json.loads(gzip.decompress(path.read_bytes()))


def run_cli(old: Path, new: Path, environment: dict[str, str]) -> tuple[float, float]:
    """Run the command line once in a subprocess; return its wall time (s) and peak memory (MB)."""
    command = [sys.executable, "-m", "checker", str(old), str(new), "--format", "json"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr before waiting, so a chatty failure cannot block on a full pipe.
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()

    if process.returncode not in (0, 1):
        sys.exit(f"bench_github: the command line failed with exit code {process.returncode}: "
                 f"{errors.decode(errors='replace').strip()}")
    # Linux reports ru_maxrss in kibibytes (macOS in bytes, which this script does not handle).
    return elapsed, usage.ru_maxrss / 1024


def time_cli(old: Path, new: Path, repeat: int, environment: dict[str, str]) -> tuple[float, float]:
    """Return the median wall time and the highest peak memory of `repeat` command-line runs."""
    run_cli(old, new, environment)
    runs = [run_cli(old, new, environment) for _ in range(repeat)]
    return statistics.median(wall for wall, _ in runs), max(peak for _, peak in runs)


def time_imports(repeat: int, environment: dict[str, str]) -> float:
    """Return the median wall time of starting Python and importing the command line, doing nothing else."""
    command = [sys.executable, "-c", "import checker.cli"]
    return median_seconds(lambda: subprocess.run(command, cwd=REPO_ROOT, env=environment, check=True), repeat)


def cached_bytecode_environment(cache: str) -> dict[str, str]:
    """Return this process's environment with bytecode caching on, writing to `cache`.

    An installed package imports from cached bytecode. PYTHONDONTWRITEBYTECODE (set in some
    containers) makes every run compile the editable `checker` package again, so it is
    removed, and PYTHONPYCACHEPREFIX keeps the cache out of the repository.
    """
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = cache
    return environment


def profile_library(old: Path, new: Path, top: int) -> None:
    """Print the functions that take the most own time in one library run."""
    profiler = cProfile.Profile()
    profiler.runcall(checker.compare_paths, old, new)
    print(f"\ncProfile of one library run, top {top} by own time:\n")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def describe_machine() -> str:
    """Name the CPU, the cores this process may use, and the Python version."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {cores} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, default=GITHUB / "ghes-3.17.json.gz", help="old OpenAPI document (default: GHES 3.17)")
    parser.add_argument("--new", type=Path, default=GITHUB / "ghes-3.18.json.gz", help="new OpenAPI document (default: GHES 3.18)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement after the warm-up (default: 5)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one library run")
    parser.add_argument("--top", type=int, default=20, help="functions listed by --profile (default: 20)")
    arguments = parser.parse_args()
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    for path in (arguments.old, arguments.new):
        if not path.is_file():
            sys.exit(f"bench_github: OpenAPI document not found: {path}\n"
                     "The default pair is the GitHub corpus in ../shared/corpus beside the repository; "
                     "pass --old and --new to use other files.")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    old, new = arguments.old, arguments.new
    report = checker.compare_paths(old, new)
    print(f"old: {old}\nnew: {new}")
    print(f"machine: {describe_machine()}")
    print(f"schema-diff found {len(report.changes)} changes, {report.count(checker.Severity.BREAKING)} breaking")
    print(f"Median of {arguments.repeat} runs after a warm-up:\n")

    library = median_seconds(lambda: checker.compare_paths(old, new), arguments.repeat)
    parse = median_seconds(lambda: parse_both(old, new), arguments.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-github-pycache-") as cache:
        cached = cached_bytecode_environment(cache)
        imports = time_imports(arguments.repeat, cached)
        cli_wall, cli_peak = time_cli(old, new, arguments.repeat, cached)
    inherited_wall, _ = time_cli(old, new, arguments.repeat, dict(os.environ))

    print(f"  gunzip + json.loads, both files (baseline)  {parse:8.3f} s")
    print(f"  schema-diff, library, end to end            {library:8.3f} s  ({library / parse:.2f}x the baseline)")
    print(f"  python start-up + import checker.cli        {imports:8.3f} s  (bytecode cached)")
    print(f"  schema-diff, command line in a subprocess   {cli_wall:8.3f} s  (bytecode cached) "
          f"target under {MAX_WALL_SECONDS:g} s: {verdict(cli_wall < MAX_WALL_SECONDS)}")
    print(f"  peak memory of the command line (maxrss)    {cli_peak:8.1f} MB "
          f"target under {MAX_PEAK_MEGABYTES:g} MB: {verdict(cli_peak < MAX_PEAK_MEGABYTES)}")
    dont_write = os.environ.get("PYTHONDONTWRITEBYTECODE")
    print(f"  command line, environment as inherited      {inherited_wall:8.3f} s  "
          f"(PYTHONDONTWRITEBYTECODE={dont_write or 'unset'})")

    if arguments.profile:
        profile_library(old, new, arguments.top)


if __name__ == "__main__":
    main()
