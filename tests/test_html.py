"""The HTML release notes: one self-contained HTML5 page with the Markdown notes' content.

The page is parsed with Python's `html.parser`, which reports every start and end tag.
The checks below rebuild the element tree from them, so an unclosed or stray tag fails.
"""

from __future__ import annotations

import dataclasses
import html.parser
import io
from pathlib import Path
from typing import Any

import markdown_it
import pytest

import checker
from checker.model import Mode, Report, SourceInfo
from checker.reporters.html import write_html
from checker.reporters.markdown import write_markdown
from test_markdown import api, example_report, large_report, make


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ALIEN = CORPUS / "alien"

#: HTML elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclasses.dataclass
class Element:
    tag: str
    attributes: dict[str, str | None]
    parent: Element | None
    children: list[Element | str] = dataclasses.field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def find_all(self, tag: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found

    def has_class(self, name: str) -> bool:
        return name in (self.attributes.get("class") or "").split()


class TreeBuilder(html.parser.HTMLParser):
    """Builds the element tree and records every structural fault it meets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.faults: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.faults.append(f"end tag for void element <{tag}>")
        elif self.current.tag != tag:
            self.faults.append(f"</{tag}> closes <{self.current.tag}>")
        else:
            assert self.current.parent is not None
            self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    if builder.current is not builder.root:
        builder.faults.append(f"<{builder.current.tag}> never closed")
    return builder


def render(report: Report, **options: Any) -> str:
    stream = io.StringIO()
    write_html(report, stream, **options)
    return stream.getvalue()


def every_element(root: Element) -> list[Element]:
    found = []
    for child in root.children:
        if isinstance(child, Element):
            found.append(child)
            found.extend(every_element(child))
    return found


def hostile_report() -> Report:
    """Names, values, reasons and stale declarations that carry HTML of their own."""
    change = make("enum-value-added", "/properties/a", new="</code><script>alert(1)</script>", keyword="enum",
                  type_name="<b>Type</b>")
    change = dataclasses.replace(change, declared=True, reason="Accepted & <i>fine</i>", file="x<y>.json", line=7)
    return Report(SourceInfo("old \"<a>\""), SourceInfo("new"), Mode.FULL, (change,), stale=("<stale & gone>",))


@pytest.mark.parametrize("report", [example_report(), hostile_report()], ids=["example", "hostile"])
def test_structure(report: Report) -> None:
    page = render(report)
    tree = parse(page)

    assert tree.faults == []
    assert tree.doctype is not None and tree.doctype.lower() == "doctype html"
    assert [element.tag for element in tree.root.children if isinstance(element, Element)] == ["html"]
    assert len(tree.root.find_all("html")) == 1
    assert len(tree.root.find_all("head")) == 1
    assert len(tree.root.find_all("body")) == 1
    assert len(tree.root.find_all("title")) == 1
    assert [meta.attributes.get("charset") for meta in tree.root.find_all("meta") if "charset" in meta.attributes] == ["utf-8"]


@pytest.mark.parametrize("report", [example_report(), hostile_report()], ids=["example", "hostile"])
def test_self_contained(report: Report) -> None:
    tree = parse(render(report))

    elements = every_element(tree.root)
    assert not [element for element in elements if element.tag in ("link", "iframe", "img", "object", "embed")]
    assert [element.attributes for element in tree.root.find_all("script")] == [{}]
    for element in elements:
        for name in ("src", "href", "action"):
            target = element.attributes.get(name)
            # Only links inside the page.
            assert target is None or target.startswith("#"), (element.tag, name, target)
    style = tree.root.find_all("style")[0].text()
    assert "url(" not in style
    assert "@import" not in style


def test_every_change_has_an_anchor() -> None:
    report = example_report()
    tree = parse(render(report))

    ids = [element.attributes["id"] for element in every_element(tree.root) if "id" in element.attributes]
    assert len(ids) == len(set(ids))
    for change in report.changes:
        assert f"change-{change.id}" in ids
    # Each anchor links to itself and shows the document and pointer.
    by_id = {element.attributes["id"]: element for element in every_element(tree.root) if "id" in element.attributes}
    agent = next(change for change in report.changes if change.schema == "agentStatus.json")
    place = by_id[f"change-{agent.id}"]
    assert [link.attributes["href"] for link in place.find_all("a")] == [f"#change-{agent.id}"]
    assert "agentStatus.json#/properties/status" in place.text()


def test_file_and_line_shown() -> None:
    tree = parse(render(hostile_report()))

    texts = [element.text() for element in tree.root.find_all("span") if element.has_class("file")]
    assert texts == ["x<y>.json:7"]


def test_hostile_text_escaped() -> None:
    tree = parse(render(hostile_report()))

    # The value's markup is text: one script element (the page's own), and no <b> or <i>.
    assert len(tree.root.find_all("script")) == 1
    assert tree.root.find_all("b") == []
    assert tree.root.find_all("i") == []
    codes = [element.text() for element in tree.root.find_all("code")]
    assert "</code><script>alert(1)</script>" in codes
    assert "<b>Type</b>.a" in codes
    declared = [element.text() for element in tree.root.find_all("p") if element.has_class("declared")]
    assert declared == ["Declared: Accepted & <i>fine</i>"]
    assert "<stale & gone>" in [element.text() for element in tree.root.find_all("li")]
    assert 'Changes from old "<a>" to new' in tree.root.find_all("title")[0].text()


def markdown_items(report: Report, **options: Any) -> tuple[list[str], list[str]]:
    """The h2 headings and list items of the Markdown notes, as text."""
    stream = io.StringIO()
    write_markdown(report, stream, **options)
    tree = parse(markdown_it.MarkdownIt("commonmark").render(stream.getvalue()))
    return [element.text() for element in tree.root.find_all("h2")], [element.text() for element in tree.root.find_all("li")]


def html_items(report: Report, **options: Any) -> tuple[list[str], list[str]]:
    """The h2 headings and the sentences (with declared reasons) of the HTML notes."""
    tree = parse(render(report, **options))
    sentences = []
    for notes in (element for element in tree.root.find_all("ul") if element.has_class("notes")):
        for item in (child for child in notes.children if isinstance(child, Element)):
            paragraphs = [child.text() for child in item.children if isinstance(child, Element) and child.tag == "p"]
            sentences.append(" ".join(paragraphs))
    return [element.text() for element in tree.root.find_all("h2")], sentences


def mixed_report() -> Report:
    changes = (
        make("required-added", new="id", keyword="required"),
        dataclasses.replace(make("enum-value-added", "/properties/status", new="x", keyword="enum"),
                            declared=True, reason="Readers map unknown values to pending."),
        make("property-removed", old_pointer="/properties/o", new_pointer=None, old="o", keyword="properties"),
        make("property-added", old_pointer=None, new_pointer="/properties/n", new="n", keyword="properties"),
        make("title-changed", old="A", new="B", keyword="title"),
        api("response-status-added", "/paths/~1jobs/get/responses/404", "GET /jobs", side="response",
            old_pointer=None, new="404"),
    )
    return Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, changes, stale=("enum-value-added for type Gone",))


@pytest.mark.parametrize("include_cosmetic", [False, True])
@pytest.mark.parametrize("report", [example_report(), mixed_report()], ids=["example", "mixed"])
def test_same_content_as_markdown(report: Report, include_cosmetic: bool) -> None:
    markdown_headings, markdown_lines = markdown_items(report, include_cosmetic=include_cosmetic)
    html_headings, html_lines = html_items(report, include_cosmetic=include_cosmetic)

    assert html_headings == markdown_headings
    # The Markdown lists end with the stale declarations, which HTML lists apart.
    assert html_lines == markdown_lines[:len(html_lines)]
    assert markdown_lines[len(html_lines):] == list(report.stale)


def test_mixed_sections() -> None:
    headings, _ = html_items(mixed_report())

    assert headings == ["Breaking changes", "Potentially breaking changes", "Additions", "Other changes",
                        "Warning: stale declarations"]


def test_visible_without_javascript() -> None:
    tree = parse(render(mixed_report()))

    hidden = [element for element in every_element(tree.root) if "hidden" in element.attributes]
    # Only the filters (useless without the script) and the bare anchors of unlisted cosmetic changes.
    assert [element.tag for element in hidden] == ["form", "p"]
    assert hidden[0].attributes.get("id") == "filters"
    assert hidden[1].text() == ""
    details = tree.root.find_all("details")
    assert details and all("open" in element.attributes for element in details)
    assert all(element.find_all("summary") for element in details)


def test_filters_one_per_section() -> None:
    tree = parse(render(mixed_report()))

    boxes = [element.attributes for element in tree.root.find_all("input")]
    assert [box["value"] for box in boxes] == ["breaking", "potentially-breaking", "additive", "cosmetic"]
    assert all(box["type"] == "checkbox" and "checked" in box for box in boxes)
    sections = [element.attributes.get("data-severity") for element in tree.root.find_all("section")]
    assert sections == ["breaking", "potentially-breaking", "additive", "cosmetic", None]


def test_large_report_lists_everything() -> None:
    report = large_report()

    tree = parse(render(report, include_cosmetic=True))

    assert tree.faults == []
    places = [element for element in tree.root.find_all("ul") if element.has_class("places")]
    assert sum(len(element.find_all("li")) for element in places) == len(report.changes)


def test_no_changes() -> None:
    tree = parse(render(Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, ())))

    assert tree.faults == []
    assert "No changes." in [element.text() for element in tree.root.find_all("p")]
    assert tree.root.find_all("form") == []


def test_stable() -> None:
    assert render(example_report()) == render(example_report())


@pytest.mark.skipif(not (ALIEN / "v1.5.1").is_dir(), reason="the alien corpus is absent (../shared/corpus/alien)")
@pytest.mark.parametrize("document", ["schemas", "manager-openapi.json"])
def test_alien_page(document: str) -> None:
    report = checker.compare_paths(ALIEN / "v1.5.1" / document, ALIEN / "v1.7.1" / document)

    tree = parse(render(report, include_cosmetic=True))

    assert tree.faults == []
    ids = {element.attributes["id"] for element in every_element(tree.root) if "id" in element.attributes}
    assert {f"change-{change.id}" for change in report.changes} <= ids
    headings, _ = html_items(report)
    assert headings == markdown_items(report)[0]
