"""The HTML report as a document: self-contained, complete, and inert under hostile input.

Behaviour in a browser (clicks, keys, no network) is tested in test_browser.py;
these tests read the HTML itself, so they run wherever Graphviz does.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap import render
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Role,
    Skipped,
    Unit,
)
from argmap.render.html import to_html

pytestmark = [
    pytest.mark.needs_dot,
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed"),
]

ROOT = Path(__file__).parent.parent
S, A = RelationKind.SUPPORT, RelationKind.ATTACK

# Every tag the report may contain; anything else came from user text.
ALLOWED_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "header", "main", "section",
    "footer", "div", "h1", "h2", "p", "span", "b", "a", "ul", "li", "code", "button", "script",
    "svg", "g", "path", "polygon", "polyline", "ellipse", "text", "line",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset"}
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    '<a href="javascript:window.__pwned=1">go</a>',
    "{{constructor.constructor('window.__pwned=1')()}}",
    "--><svg onload=window.__pwned=1>]]>",
    "'><style>@import url(http://evil.example/x.css)</style>",
]
EVIL = " ".join(PAYLOADS)


def build(
    pieces: list[tuple[Role | None, str]], relations: list[tuple[int, int, RelationKind]]
) -> tuple[ArgumentMap, str]:
    """A source text and its map, from (role, text) pieces; role None = skipped byline."""
    source, units, skipped = "", [], []
    for role, text in pieces:
        start = len(source)
        source += text + "\n"
        if role is None:
            skipped.append(Skipped(start=start, end=start + len(text), reason="byline"))
            continue
        n = len(units) + 1
        ev = EvidenceType.STATISTIC if role is Role.EVIDENCE else None
        units.append(
            Unit(
                id=f"u{n}",
                role=role,
                text=text,
                start=start,
                end=start + len(text),
                line=source.count("\n"),
                evidence_type=ev,
                confidence=0.7,
                cues=[f"cue for unit {n}"],
            )
        )
    rels = [
        Relation(source=f"u{s}", target=f"u{t}", kind=k, confidence=0.6, cue=f"link {s}")
        for s, t, k in relations
    ]
    thesis = next((u.id for u in units if u.role is Role.THESIS), None)
    return ArgumentMap(thesis=thesis, units=units, relations=rels, skipped=skipped), source


def sample() -> tuple[ArgumentMap, str]:
    """All six roles, support and attack, a skipped byline; invented text."""
    return build(
        [
            (None, "By A. Columnist"),
            (Role.THESIS, "The town should light the river path at night."),
            (Role.CLAIM, "Dark paths keep people off their bikes after work."),
            (Role.EVIDENCE, "A count last winter found 70 percent fewer riders after dusk."),
            (Role.PREMISE, "Riders say they fear what they cannot see."),
            (Role.OBJECTION, "Some neighbours worry the lamps will glare into bedrooms."),
            (Role.RECOMMENDATION, "The council must fit shielded lamps that point down."),
        ],
        [(2, 1, S), (3, 2, S), (4, 2, S), (5, 1, A), (6, 5, A)],
    )


class Audit(HTMLParser):
    """Collects what a browser would build: tags, attributes, script and style bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.bodies: dict[str, list[str]] = {"script": [], "style": []}
        self.text: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag in self.bodies:
            self._raw = tag
            self.bodies[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self.bodies[self._raw][-1] += data
        else:
            self.text.append(data)


def audit(doc: str) -> Audit:
    a = Audit()
    a.feed(doc)
    a.close()
    return a


def assert_inert(doc: str) -> Audit:
    """Nothing in the document is markup, script or a URL that we did not write."""
    a = audit(doc)
    assert set(a.tags) <= ALLOWED_TAGS, set(a.tags) - ALLOWED_TAGS
    assert a.tags.count("script") == 1
    assert a.tags.count("style") == 1
    assert a.bodies["script"] == [render_asset("report.js")]
    assert doc.count("<script") == 1
    assert "<img" not in doc
    assert "{{" not in doc
    for tag, name, value in a.attrs:
        assert not name.startswith("on"), (tag, name)
        assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
        if name in URL_ATTRIBUTES:
            assert value.startswith(("#", "data:")), (tag, name, value)
    for tag in ("link", "meta"):
        for t, name, value in a.attrs:
            if t == tag and name == "href":
                assert value == "data:,"
    assert "url(" not in a.bodies["style"][0] and "@import" not in a.bodies["style"][0]
    return a


def render_asset(name: str) -> str:
    return (ROOT / "argmap" / "render" / "assets" / name).read_text(encoding="utf-8")


def svg_of(doc: str) -> ET.Element:
    match = re.search(r'<div id="map"[^>]*>(<svg.*?</svg>)</div>', doc, re.DOTALL)
    assert match is not None
    return ET.fromstring(match.group(1))


def text_pane(doc: str) -> str:
    match = re.search(r'<section id="text".*?</section>', doc, re.DOTALL)
    assert match is not None
    return match.group(0)


def visible_text(fragment: str) -> str:
    """The pane's reading text: no heading, note or number tags; breaks as newlines."""
    fragment = re.sub(r'<p class="note">.*?</p>', "", fragment.split("</h2>", 1)[1])
    fragment = fragment.replace('<span class="pb"></span>', "\n").replace("</p>", "\n")
    without_tags = re.sub(r'<span class="tag">.*?</span>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", without_tags))


def test_one_self_contained_file_with_a_strict_csp() -> None:
    m, source = sample()
    doc = to_html(m, source, title="river-path.txt")
    a = assert_inert(doc)
    assert "http:" not in doc and "https:" not in doc and "//" not in doc.replace("://", "")
    csp = next(v for t, k, v in a.attrs if t == "meta" and k == "content" and "default-src" in v)
    script, style = a.bodies["script"][0], a.bodies["style"][0]

    def sha(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert csp.startswith("default-src 'none';")
    assert f"script-src 'sha256-{sha(script)}'" in csp
    assert f"style-src 'sha256-{sha(style)}'" in csp
    assert "unsafe" not in csp and "connect-src" not in csp


def test_every_unit_is_in_the_text_and_on_the_map() -> None:
    m, source = sample()
    doc = to_html(m, source, title="t")
    numbers = render.number_units(m)
    nodes = {g.get("data-u"): g for g in svg_of(doc).iter("g") if g.get("data-u")}
    assert set(nodes) == {u.id for u in m.units}
    for u in m.units:
        assert doc.count(f'id="t-{u.id}"') == 1
        assert f'<span class="tag">{numbers[u.id]} {u.role.value}</span>' in doc
        assert nodes[u.id].get("tabindex") == "0" and nodes[u.id].get("role") == "button"
        assert numbers[u.id] in (nodes[u.id].get("aria-label") or "")
    edges = [g for g in svg_of(doc).iter("g") if g.get("data-s") in nodes]
    assert {(g.get("data-s"), g.get("data-t")) for g in edges} == {
        (r.source, r.target) for r in m.relations
    }


def test_the_source_is_shown_whole_with_skipped_text_greyed() -> None:
    m, source = sample()
    pane = text_pane(to_html(m, source, title="t"))
    assert visible_text(pane).split() == source.split()
    assert '<span class="skip" data-reason="byline">' in pane
    assert "not argument: byline" in pane


def test_unit_details_travel_as_data_attributes() -> None:
    m, source = sample()
    doc = to_html(m, source, title="t")
    span = re.search(r'<span class="u r-evidence"[^>]*>', doc)
    assert span is not None
    tag = span.group(0)
    assert 'data-role="EVIDENCE · statistic"' in tag
    assert 'data-ev="statistic"' in tag and 'data-conf="0.70"' in tag
    assert 'data-cues="cue for unit 3"' in tag
    assert 'data-rel="supports 1.1 (cue: link 3)"' in tag


def test_a_saved_map_shows_its_units_in_order() -> None:
    m, _ = sample()
    pane = text_pane(to_html(m, None, title="map.json"))
    assert "No source text" in pane
    texts = [u.text for u in m.units]
    assert visible_text(pane).split() == " ".join(texts).split()


def test_a_text_the_map_does_not_fit_falls_back_to_units() -> None:
    m, source = sample()
    pane = text_pane(to_html(m, source.upper(), title="t"))
    assert "does not match" in pane
    assert all(f'id="t-{u.id}"' in pane for u in m.units)


def test_header_has_thesis_counts_and_key() -> None:
    m, source = sample()
    doc = to_html(m, source, title="river-path.txt")
    header = doc[doc.index("<header") : doc.index("</header>")]
    assert "<h1>river-path.txt</h1>" in header
    assert "light the river path at night" in header
    for role in Role:
        assert f'<span class="tag">{role.value}</span></span> <b>1</b>' in header
    assert "supports (+)" in header and "attacks (\u2212)" in header
    assert '<span class="tag">not argument</span></span> <b>1</b>' in header
    assert "<title>river-path.txt — argmap report</title>" in doc


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    unit: str | None


def test_findings_link_to_their_units() -> None:
    m, source = sample()
    findings: list[object] = [
        Finding("W101", "warning", "claim 1.1 has only one reason", "u2"),
        {"code": "E201", "severity": "error", "message": "no evidence", "units": ["u3", "u4"]},
        Finding("W999", "warning", "points at nothing we know", "u77"),
    ]
    doc = to_html(m, source, title="t", findings=findings)
    panel = doc[doc.index('<section id="findings"') :]
    panel = panel[: panel.index("</section>")]
    assert "Findings (3)" in panel
    assert '<a class="go" href="#t-u2" data-u="u2">1.1</a>' in panel
    assert 'href="#t-u3"' in panel and 'href="#t-u4"' in panel
    assert "u77" not in panel
    assert '<span class="sev sev-error">error</span>' in panel
    assert 'id="findings"' not in to_html(m, source, title="t")
    assert "No findings." in to_html(m, source, title="t", findings=[])


def test_findings_from_argmap_check_render() -> None:
    check = pytest.importorskip("argmap.check")
    m, source = sample()
    finding = check.Finding(
        code="AM101",
        name="unsupported-claim",
        severity=check.Severity.WARNING,
        message="nothing supports this claim",
        fix="add a reason",
        unit="u2",
        related=("u5",),
    )
    doc = to_html(m, source, title="t", findings=[finding])
    assert '<span class="sev sev-warning">warning</span> <code>AM101</code>' in doc
    assert "<b>unsupported-claim</b> nothing supports this claim" in doc
    assert 'href="#t-u2"' in doc and 'href="#t-u5"' in doc
    assert '<span class="fix">add a reason</span>' in doc


def hostile() -> tuple[ArgumentMap, str, list[object]]:
    m, source = build(
        [
            (None, EVIL),
            (Role.THESIS, f"We must act {EVIL} now."),
            (Role.CLAIM, EVIL),
            (Role.OBJECTION, f"They say {EVIL}"),
        ],
        [(2, 1, S), (3, 1, A)],
    )
    cues = [Cue(kind=CueKind.LEGACY, words=EVIL, description=EVIL), Cue(kind=CueKind.HEDGE)]
    units = [u.model_copy(update={"cues": cues, "rule": EVIL}) for u in m.units]
    evil = Cue(kind=CueKind.LEGACY, description=EVIL)
    relations = [r.model_copy(update={"cue": evil, "rule": EVIL}) for r in m.relations]
    skipped = [s.model_copy(update={"reason": EVIL}) for s in m.skipped]
    m = m.model_copy(update={"units": units, "relations": relations, "skipped": skipped})
    findings: list[object] = [
        {"code": EVIL, "severity": EVIL, "message": EVIL, "unit": "u1"},
        Finding(EVIL, "warning", EVIL, EVIL),
    ]
    return m, source, findings


@pytest.mark.parametrize("with_source", [True, False])
def test_hostile_text_in_every_field_stays_text(with_source: bool) -> None:
    m, source, findings = hostile()
    doc = to_html(m, source if with_source else None, title=EVIL, findings=findings)
    a = assert_inert(doc)
    shown = "".join(a.text)
    assert "<script>window.__pwned=1</script>" in shown  # shown to the reader, as text
    assert 'onerror="window.__pwned=1"' in shown
    tooltips = [v for _, k, v in a.attrs if k in ("data-cues", "data-rel", "aria-label")]
    assert any(EVIL in v for v in tooltips)
    titles = [el.text or "" for el in svg_of(doc).iter("title")]
    assert any("javascript:" in t for t in titles)  # edge tooltips hold the cue, as text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(min_size=1, max_size=60),
    cue=st.text(max_size=30),
    title=st.text(max_size=30),
)
def test_any_text_renders_inert_and_well_formed(text: str, cue: str, title: str) -> None:
    unit = Unit(
        id="u1", role=Role.THESIS, text=text, start=0, end=len(text), line=1,
        confidence=0.5, cues=[cue],
    )  # fmt: skip
    m = ArgumentMap(thesis="u1", units=[unit])
    doc = to_html(m, text, title=title)
    assert_inert(doc)
    svg_of(doc)


def test_empty_map_and_determinism() -> None:
    empty = to_html(ArgumentMap(), "Nothing to see.", title="empty")
    assert "No argument found" in empty and "No thesis found" in empty
    assert_inert(empty)
    m, source = sample()
    assert to_html(m, source, title="t") == to_html(m, source, title="t")


def test_lazy_export_and_direction() -> None:
    assert render.to_html is to_html
    m, source = sample()
    assert to_html(m, source, title="t", direction="LR") != to_html(m, source, title="t")


def test_op_ed_report_stays_small() -> None:
    golden = ROOT / "tests" / "golden" / "examples" / "kellogg-oped.txt.json"
    m = ArgumentMap.model_validate_json(golden.read_text(encoding="utf-8"))
    source = (ROOT / "examples" / "kellogg-oped.txt").read_text(encoding="utf-8")
    doc = to_html(m, source, title="kellogg-oped.txt")
    assert_inert(doc)
    assert "does not match" not in doc
    assert len(doc.encode()) < 250_000


def test_cli_writes_the_report_once_wired(tmp_path: Path) -> None:
    """``argmap render FILE -f html``: skipped until the CLI offers the format."""
    from typer.testing import CliRunner

    from argmap.cli import app
    from argmap.cli.common import RenderFormat

    if "html" not in {f.value for f in RenderFormat}:
        pytest.skip("`argmap render -f html` is not wired into the CLI yet")
    _, source = sample()
    piece, report, saved = tmp_path / "river.txt", tmp_path / "r.html", tmp_path / "s.html"
    piece.write_text(source, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["render", str(piece), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert "<h1>river.txt</h1>" in assert_inert_text(report)
    as_json = tmp_path / "river.json"
    as_json.write_text(runner.invoke(app, ["analyze", str(piece)]).stdout, encoding="utf-8")
    result = runner.invoke(app, ["render", str(as_json), "-f", "html", "-o", str(saved)])
    assert result.exit_code == 0, result.output
    assert "No source text" in assert_inert_text(saved)


def assert_inert_text(path: Path) -> str:
    doc = path.read_text(encoding="utf-8")
    assert_inert(doc)
    return doc
