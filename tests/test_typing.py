"""Type-check checker/ with mypy, using the settings in pyproject.toml's [tool.mypy]."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is not installed; install the test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parents[1]


def test_checker_type_checks() -> None:
    # The cache sits at the repository root (ignored by git), so a second run checks only changed modules.
    stdout, stderr, status = mypy_api.run([
        "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(ROOT / ".mypy_cache"),
        str(ROOT / "checker"),
    ])

    assert status == 0, f"mypy reported errors:\n{stdout}{stderr}"
