"""Swagger 2.0 documents are refused with one clear line rather than half judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main

SWAGGER = {"swagger": "2.0", "info": {"title": "Pets", "version": "1"}, "paths": {}}


def test_swagger_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(SWAGGER))
    new.write_text(json.dumps(SWAGGER))

    code = main([str(old), str(new)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (f"schema-diff: error: {old}: unsupported OpenAPI version '2.0'; schema-diff reads OpenAPI 3.0 "
                            "and 3.1 (convert Swagger 2.0 to OpenAPI 3 first)\n")
