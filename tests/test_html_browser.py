"""The HTML report in a real browser: headless Chromium loads it from a file:// URL with JavaScript on.

Without a DevTools client, a test drives the page with a copy of the report that has one more
inline script at the end of <body>. That script clicks the "additive" filter box as a user would,
records which sections and change entries are rendered, and writes the record into the page as
JSON. `chromium --dump-dom` prints the DOM after the page loads, and the test reads the record
from it. Chromium runs with a profile, HOME and caches in tmp_path, with its background network
features off, and loads only files that the test writes.

Debian's `chromium` package provides the browser; without it, every test here skips.
"""

from __future__ import annotations

import html.parser
import io
import json
import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import checker
from checker.model import Mode, Report
from checker.reporters.html import write_html

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`; .ci/run installs it when run as root)")

#: Flags that keep Chromium headless, inside tmp_path and off the network. --no-sandbox is needed
#: where the tests run as root (as CI does); --disable-dev-shm-usage avoids a small /dev/shm in containers.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
    "--disable-breakpad", "--no-first-run", "--no-default-browser-check", "--mute-audio",
]
TIMEOUT_SECONDS = 120
WINDOW = (1200, 1600)

#: Colours of the section headings in the report's style sheet.
BREAKING_RED = bytes.fromhex("b42318")
ADDITIVE_GREEN = bytes.fromhex("1a7f37")

#: Clicks the "additive" box twice and records, before and after each click, for each section:
#: its `hidden` property, how many <li> entries it has and how many of them have a layout box
#: (an entry inside a hidden section has none).
PROBE = """
<script>
(function () {
  function state() {
    var record = {filtersHidden: document.getElementById("filters").hidden, sections: {}};
    var sections = document.querySelectorAll("section[data-severity]");
    for (var i = 0; i < sections.length; i++) {
      var entries = sections[i].querySelectorAll("li");
      var rendered = 0;
      for (var j = 0; j < entries.length; j++) {
        if (entries[j].getClientRects().length > 0) { rendered++; }
      }
      record.sections[sections[i].getAttribute("data-severity")] =
        {hidden: sections[i].hidden, entries: entries.length, rendered: rendered};
    }
    return record;
  }
  var box = document.querySelector('#filters input[type="checkbox"][value="additive"]');
  var result = {before: state(), box: box !== null};
  if (box !== null) {
    box.click();
    result.unchecked = state();
    box.click();
    result.checked = state();
  }
  var output = document.createElement("pre");
  output.id = "browser-test-result";
  output.textContent = JSON.stringify(result);
  document.body.appendChild(output);
})();
</script>
"""

#: Clears the "additive" box, so that a screenshot shows the filtered page.
HIDE_ADDITIONS = """
<script>
document.querySelector('#filters input[type="checkbox"][value="additive"]').click();
</script>
"""


def html_report(report: Report) -> str:
    stream = io.StringIO()
    write_html(report, stream)
    return stream.getvalue()


def with_script(page: str, script: str) -> str:
    """The page with a script added as the last element of <body>, after the report's own script."""
    assert page.count("</body>") == 1
    return page.replace("</body>", script + "</body>")


def run_chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "chromium-home"
    home.mkdir(exist_ok=True)
    environment = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", *arguments]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed


def browser_state(tmp_path: Path, page: str) -> dict[str, Any]:
    """Load the page with the probe script in Chromium and return the record the probe wrote."""
    path = tmp_path / "probe.html"
    path.write_text(with_script(page, PROBE), encoding="utf-8")

    dom = run_chromium(tmp_path, "--dump-dom", path.as_uri()).stdout

    finder = ResultFinder()
    finder.feed(dom)
    assert finder.result is not None, f"the probe script wrote no result; is JavaScript on? DOM starts: {dom[:300]!r}"
    return json.loads(finder.result)


class ResultFinder(html.parser.HTMLParser):
    """Finds the text of <pre id="browser-test-result"> in the dumped DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and ("id", "browser-test-result") in attrs:
            self._inside = True
            self.result = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.result = (self.result or "") + data


def screenshot(tmp_path: Path, page: str, name: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    image = tmp_path / f"{name}.png"

    run_chromium(tmp_path, f"--screenshot={image}", f"--window-size={WINDOW[0]},{WINDOW[1]}", path.as_uri())

    return image


def example_report() -> Report:
    """The shipped example: 1.5.1 -> 1.7.1 adds enum values (breaking) and the property setupMetadata (additive)."""
    return checker.compare_paths(REPOSITORY / "schemas" / "1.5.1", REPOSITORY / "schemas" / "1.7.1", Mode.FULL)


def mixed_report() -> Report:
    """One change of each severity in an open object, worked out from the direction table."""
    old = {"title": "Order", "description": "An order.", "type": "object",
           "properties": {"id": {"type": "string"}, "state": {"enum": ["open", "closed"]}, "note": {"type": "string"}},
           "required": ["id"]}
    new = {"title": "Order", "description": "A customer's order.", "type": "object",
           "properties": {"id": {"type": "string"}, "state": {"enum": ["open", "closed", "cancelled"]},
                          "total": {"type": "number"}},
           "required": ["id"]}
    # "cancelled" added: old readers reject it (forward), so breaking.
    # "note" removed from an open object: still valid either way, but readers lose it, so potentially breaking.
    # "total" added to an open object: additive. The new description: cosmetic.
    return checker.compare(checker.load_mapping("old", {"order.json": old}), checker.load_mapping("new", {"order.json": new}))


@pytest.fixture(scope="module")
def example_state(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The probe's record for the shipped example, from one browser run shared by the tests that read it."""
    return browser_state(tmp_path_factory.mktemp("browser"), html_report(example_report()))


# The severity filter --------------------------------------------------------------------------

def test_example_filter_hides_additions(example_state: dict[str, Any]) -> None:
    state = example_state

    assert state["box"], "the page has no checkbox with value additive inside #filters"
    # With JavaScript on, the script reveals the filters; every section starts shown.
    assert state["before"]["filtersHidden"] is False
    before = state["before"]["sections"]
    assert sorted(before) == ["additive", "breaking"]
    assert before["additive"]["hidden"] is False
    assert before["additive"]["entries"] > 0
    assert before["additive"]["rendered"] == before["additive"]["entries"]

    unchecked = state["unchecked"]["sections"]
    assert unchecked["additive"]["hidden"] is True
    assert unchecked["additive"]["rendered"] == 0
    # Breaking changes stay on the page.
    assert unchecked["breaking"]["hidden"] is False
    assert unchecked["breaking"]["rendered"] == before["breaking"]["entries"]


def test_example_filter_shows_again(example_state: dict[str, Any]) -> None:
    state = example_state

    checked = state["checked"]["sections"]
    assert checked["additive"]["hidden"] is False
    assert checked["additive"]["rendered"] == checked["additive"]["entries"]


def test_mixed_filter_hides_only_additions(tmp_path: Path) -> None:
    state = browser_state(tmp_path, html_report(mixed_report()))

    before = state["before"]["sections"]
    # Every severity has a section; cosmetic changes are counted there, not listed, so it has no entries.
    assert sorted(before) == ["additive", "breaking", "cosmetic", "potentially-breaking"]
    assert before["additive"]["entries"] > 0
    unchecked = state["unchecked"]["sections"]
    assert unchecked["additive"]["hidden"] is True
    assert unchecked["additive"]["rendered"] == 0
    for severity in ("breaking", "potentially-breaking", "cosmetic"):
        assert unchecked[severity]["hidden"] is False, severity
        assert unchecked[severity]["rendered"] == before[severity]["entries"], severity


# Screenshots ------------------------------------------------------------------------------------

def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG into its width, height and rows of RGB pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    position, compressed, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length
    assert header is not None
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8, header
    assert interlace == 0, header
    assert color_type in (2, 6), header
    channels = 3 if color_type == 2 else 4

    raw = zlib.decompress(compressed)
    stride = width * channels
    rows, previous = [], bytes(stride)
    for row in range(height):
        start = row * (stride + 1)
        line = unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        rows.append(b"".join(line[i:i + 3] for i in range(0, stride, channels)) if channels == 4 else line)
        previous = line
    return width, height, rows


def unfilter(kind: int, line: bytearray, previous: bytes, channels: int) -> bytes:
    """Undo one row's PNG filter (None, Sub, Up, Average or Paeth)."""
    if kind == 0:
        return bytes(line)
    if kind == 2:
        # Up adds the byte above; adding the rows as wide integers without carries between bytes is fast.
        low, high = int.from_bytes(b"\x7f" * len(line), "big"), int.from_bytes(b"\x80" * len(line), "big")
        current, above = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
        total = ((current & low) + (above & low)) ^ ((current ^ above) & high)
        return total.to_bytes(len(line), "big")
    for i in range(len(line)):
        left = line[i - channels] if i >= channels else 0
        above = previous[i]
        upper_left = previous[i - channels] if i >= channels else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + above) // 2) & 0xFF
        else:
            line[i] = (line[i] + paeth(left, above, upper_left)) & 0xFF
    return bytes(line)


def paeth(left: int, above: int, upper_left: int) -> int:
    """Pick the neighbour closest to left + above - upper_left, preferring left, then above (the PNG Paeth predictor)."""
    estimate = left + above - upper_left
    to_left, to_above, to_upper_left = abs(estimate - left), abs(estimate - above), abs(estimate - upper_left)
    if to_left <= to_above and to_left <= to_upper_left:
        return left
    if to_above <= to_upper_left:
        return above
    return upper_left


def colour_counts(rows: list[bytes]) -> Counter[bytes]:
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[i:i + 3] for i in range(0, len(row), 3))
    return counts


def test_screenshot_of_example(tmp_path: Path) -> None:
    image = screenshot(tmp_path, html_report(example_report()), "example")

    assert image.is_file()
    width, height, rows = read_png(image.read_bytes())
    assert (width, height) == WINDOW
    colours = colour_counts(rows)
    # A rendered report, not a blank page: many colours, and both section headings in their colours.
    assert len(colours) > 50
    assert colours[BREAKING_RED] > 50
    assert colours[ADDITIVE_GREEN] > 50


def test_screenshot_with_additions_hidden(tmp_path: Path) -> None:
    image = screenshot(tmp_path, with_script(html_report(example_report()), HIDE_ADDITIONS), "filtered")

    _, _, rows = read_png(image.read_bytes())
    colours = colour_counts(rows)
    # The "Additions" heading is the only green on the page, so with additions hidden no pixel is green.
    assert colours[BREAKING_RED] > 50
    assert colours[ADDITIVE_GREEN] == 0
