"""The changelog as one HTML page: every release in one document, ids unique across it."""

from __future__ import annotations

import html.parser
import shutil
from collections import Counter
from pathlib import Path

import pytest

from checker.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "schemas"


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.ids.extend(value for name, value in attributes if name == "id" and value is not None)


def test_changelog_html_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Three releases: 1.5.1, 1.7.1, and 1.7.2 equal to 1.7.1, so two pairs, one with no change.
    store = tmp_path / "store"
    shutil.copytree(EXAMPLES / "1.5.1", store / "1.5.1")
    shutil.copytree(EXAMPLES / "1.7.1", store / "1.7.1")
    shutil.copytree(EXAMPLES / "1.7.1", store / "1.7.2")
    monkeypatch.chdir(tmp_path)

    code = main(["changelog", "--store", "store", "--format", "html"])

    page = capsys.readouterr().out
    parser = _Tags()
    parser.feed(page)
    assert code == 0
    assert parser.tags["html"] == 1
    assert parser.tags["article"] == 2
    assert len(parser.ids) == len(set(parser.ids))
    # Newest first: the pair ending in 1.7.2 comes before the one ending in 1.7.1.
    assert page.index("to 1.7.2</h2>") < page.index("to 1.7.1</h2>")
    assert "No changes." in page
    assert 'value="breaking"' in page
    assert "src=" not in page
