"""The HTML report in a real browser: Debian's Chromium driven by Playwright.

One browser per module (starting Chromium costs about a second), a fresh
context per test. Every test also checks that the page stayed quiet: no request
but the report's own file:// URL, no script error, no CSP violation, no dialog.
Also writes the README's screenshot, diagrams/kellogg-oped-report.png.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from argmap.model import ArgumentMap, Cue, CueKind, Relation, RelationKind, Role, Skipped, Unit
from argmap.render import number_units, to_html

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROOT = Path(__file__).parent.parent
SCREENSHOT = ROOT / "diagrams" / "kellogg-oped-report.png"
PWNED = "window.__pwned=1"
EVIL = (
    f"<script>{PWNED}</script> \"><img src=x onerror='{PWNED}'> javascript:{PWNED} "
    f"<a href=\"javascript:{PWNED}\">x</a> {{{{constructor.constructor('{PWNED}')()}}}} "
    f"--><svg onload={PWNED}>"
)
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " function (e) { window.__csp.push(e.violatedDirective); });"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs_dot,
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed"),
]


def build(pieces: list[tuple[Role | None, str]], relations: list[tuple[int, int, str]]) -> Any:
    """(map, source) from (role, text) pieces; role None is skipped text."""
    source, units, skipped = "", [], []
    for role, text in pieces:
        start = len(source)
        source += text + "\n"
        if role is None:
            skipped.append(Skipped(start=start, end=start + len(text), reason="byline"))
            continue
        n = len(units) + 1
        units.append(
            Unit(id=f"u{n}", role=role, text=text, start=start, end=start + len(text),
                 line=source.count("\n"), confidence=0.6, cues=[f"cue {n}"])
        )  # fmt: skip
    rels = [
        Relation(source=f"u{s}", target=f"u{t}", kind=RelationKind(k), confidence=0.6, cue="c")
        for s, t, k in relations
    ]
    return ArgumentMap(thesis="u1", units=units, relations=rels, skipped=skipped), source


def small() -> Any:
    return build(
        [
            (None, "By A. Columnist"),
            (Role.THESIS, "The town should light the river path at night."),
            (Role.CLAIM, "Dark paths keep people off their bikes after work."),
            (Role.EVIDENCE, "A count last winter found 70 percent fewer riders after dusk."),
            (Role.OBJECTION, "Some neighbours worry the lamps will glare into bedrooms."),
            (Role.PREMISE, "Shielded lamps point their light at the ground."),
        ],
        [(2, 1, "support"), (3, 2, "support"), (4, 1, "attack"), (5, 4, "attack")],
    )


def long_piece(words: int = 3000) -> Any:
    """An invented op-ed of about ``words`` words: a wide, deep map like a real long piece."""
    rng = random.Random(6)
    subjects = ["the tram line", "our harbour board", "local bakers", "the night bus",
                "the school board", "the reading room", "weekend markets", "the cycling club",
                "river ferries", "the town archive", "new tenants", "the old mill"]  # fmt: skip
    verbs = ["would help", "could hurt", "already serves", "rarely reaches", "should fund",
             "must protect", "quietly changes", "will outlast", "cannot replace"]  # fmt: skip
    objects = ["families on the east side", "every small shop near the square",
               "the budget for next spring", "workers who start before dawn",
               "the parks along the canal", "visitors who arrive by boat"]  # fmt: skip
    tails = ["according to a survey of 300 residents", "in every season we measured",
             "which matters most to older riders", "because costs rise each year",
             "as the figures from last year show", "and no one disputes it"]  # fmt: skip
    pieces: list[tuple[Role | None, str]] = []
    relations: list[tuple[int, int, str]] = []
    claim, total = 1, 0
    while total < words:
        n = len(pieces) + 1
        text = (
            f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}, "
            f"{rng.choice(tails)}."
        ).capitalize()
        role = (
            Role.THESIS if n == 1
            else Role.CLAIM if n % 8 == 2
            else Role.OBJECTION if n % 15 == 0
            else Role.RECOMMENDATION if n % 20 == 0
            else Role.EVIDENCE if n % 3 == 0
            else Role.PREMISE
        )  # fmt: skip
        if role is Role.CLAIM:
            relations.append((n, 1, "support"))
            claim = n
        elif role is Role.OBJECTION:
            relations.append((n, claim, "attack"))
        elif n > 1:
            relations.append((n, claim, "support"))
        pieces.append((role, text))
        total += len(text.split())
    m, source = build(pieces, relations)
    return m, source.replace(".\n", ".\n\n", len(pieces) // 5)


def op_ed() -> Any:
    golden = ROOT / "tests" / "golden" / "examples" / "kellogg-oped.txt.json"
    m = ArgumentMap.model_validate_json(golden.read_text(encoding="utf-8"))
    return m, (ROOT / "examples" / "kellogg-oped.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    """One Chromium and one context per module; each test opens its own page."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium ({CHROMIUM}) is not installed: run `make browser`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # Reduced motion: the text pane then scrolls at once, so no test waits on it.
        context = b.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
        context.add_init_script(CSP_WATCH)
        yield context
        context.close()
        b.close()


EVIL_CUE = Cue(kind=CueKind.LEGACY, words=EVIL, rule=EVIL, description=EVIL)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reports under test, written once per module."""
    out = tmp_path_factory.mktemp("reports")
    m, source = small()
    hostile = m.model_copy(
        update={
            "units": [u.model_copy(update={"cues": [EVIL_CUE], "rule": EVIL}) for u in m.units],
            "relations": [r.model_copy(update={"cue": EVIL_CUE}) for r in m.relations],
            "skipped": [s.model_copy(update={"reason": EVIL}) for s in m.skipped],
        }
    )
    findings: list[object] = [{"code": "W1", "severity": "warning", "message": "m", "unit": "u3"}]
    docs = {
        "oped": to_html(*op_ed(), title="kellogg-oped.txt"),
        "small": to_html(m, source, title="river-path.txt", findings=findings),
        "saved": to_html(m, None, title="river-path.json"),
        "hostile": to_html(
            hostile,
            source.replace("light", EVIL),
            title=EVIL,
            findings=[{"code": EVIL, "severity": EVIL, "message": EVIL, "unit": "u2"}],
        ),
        "large": to_html(*long_piece(), title="long-piece.txt"),
    }
    paths = {}
    for name, doc in docs.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(doc, encoding="utf-8")
    return paths


@dataclass
class Opened:
    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert self.requests == [self.url]
        assert self.problems == []
        assert self.page.evaluate("window.__csp") == []
        assert self.page.evaluate("typeof window.__pwned") == "undefined"


@pytest.fixture
def open_report(browser: BrowserContext, reports: dict[str, Path]) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(name: str) -> Opened:
        page = browser.new_page()
        pages.append(page)
        opened = Opened(page, reports[name].as_uri())
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("pageerror", lambda e: opened.problems.append(f"error: {e}"))
        page.on("console", lambda m: opened.problems.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda d: (opened.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(opened.url)
        return opened

    yield opener
    for page in pages:
        page.close()


def selected(page: Page) -> tuple[list[str], list[str]]:
    """Unit ids selected in the text and on the map."""
    text, nodes = page.evaluate(
        "[[...document.querySelectorAll('#text .u.sel')].map(e => e.dataset.u),"
        " [...document.querySelectorAll('#map g.node.sel')].map(e => e.dataset.u)]"
    )
    return list(text), list(nodes)


def inside(page: Page, inner: str, outer: str, wait: float = 2.0) -> bool:
    """Whether ``inner`` lies within ``outer`` once any smooth scrolling has settled."""
    deadline = time.monotonic() + wait
    while True:
        a, b = page.locator(inner).bounding_box(), page.locator(outer).bounding_box()
        assert a is not None and b is not None
        if (
            a["y"] >= b["y"] - 1
            and a["y"] + a["height"] <= b["y"] + b["height"] + 1
            and a["x"] >= b["x"] - 1
            and a["x"] + a["width"] <= b["x"] + b["width"] + 1
        ):
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(50)


def test_clicking_a_node_selects_and_shows_its_sentence(open_report: Any) -> None:
    o = open_report("oped")
    last = o.page.evaluate("[...document.querySelectorAll('#text .u')].pop().dataset.u")
    assert not inside(o.page, f"#t-{last}", "#text", wait=0)
    o.page.click(f'#map g.node[data-u="{last}"]')
    assert selected(o.page) == ([last], [last])
    assert o.page.get_attribute(f"#t-{last}", "aria-pressed") == "true"
    assert inside(o.page, f"#t-{last}", "#text")
    assert o.page.locator("#detail .head").inner_text().startswith(number_units(op_ed()[0])[last])
    o.assert_quiet()


def test_clicking_a_sentence_outlines_and_centres_its_node(open_report: Any) -> None:
    o = open_report("oped")
    before = o.page.locator('#map g.node[data-u="u20"]').bounding_box()
    o.page.click("#t-u20")
    assert selected(o.page) == (["u20"], ["u20"])
    node, view = (
        o.page.locator('#map g.node[data-u="u20"]').bounding_box(),
        o.page.locator("#map").bounding_box(),
    )
    assert before is not None and node is not None and view is not None
    assert node["width"] > 2 * before["width"]  # zoomed in to a readable size
    assert abs(node["x"] + node["width"] / 2 - (view["x"] + view["width"] / 2)) < 10
    assert abs(node["y"] + node["height"] / 2 - (view["y"] + view["height"] / 2)) < 10
    edges = o.page.evaluate("[...document.querySelectorAll('#map g.edge.near')].length")
    assert edges >= 1
    o.page.click("#t-u21")
    assert selected(o.page) == (["u21"], ["u21"])
    o.assert_quiet()


def test_keyboard_tab_enter_and_visible_focus(open_report: Any) -> None:
    o = open_report("oped")
    for _ in range(6):
        o.page.keyboard.press("Tab")
        if o.page.evaluate("document.activeElement.id") == "t-u1":
            break
    assert o.page.evaluate("document.activeElement.id") == "t-u1"
    style = o.page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert style[0] == "solid" and style[1] == "3px" and style[2] != "none"
    assert o.page.locator("#tip").is_visible()  # focus shows the explanation too
    o.page.keyboard.press("Enter")
    assert selected(o.page) == (["u1"], ["u1"])
    o.page.keyboard.press("Tab")
    o.page.keyboard.press(" ")
    assert selected(o.page) == (["u2"], ["u2"])
    o.page.keyboard.press("Escape")
    assert not o.page.locator("#tip").is_visible()
    o.page.click("button[data-zoom=in]")
    o.page.click("button[data-zoom=in]")
    assert not inside(o.page, '#map g.node[data-u="u50"]', "#map", wait=0)
    o.page.focus('#map g.node[data-u="u50"]')
    assert inside(o.page, '#map g.node[data-u="u50"]', "#map", wait=0)
    o.page.focus('#map g.node[data-u="u7"]')
    o.page.keyboard.press("Enter")
    assert selected(o.page) == (["u7"], ["u7"])
    assert inside(o.page, "#t-u7", "#text")
    o.assert_quiet()


def test_hover_explains_role_cue_confidence_and_evidence_type(open_report: Any) -> None:
    o = open_report("oped")
    m = op_ed()[0]
    ev = next(u for u in m.units if u.evidence_type is not None)
    o.page.hover(f"#t-{ev.id}")
    tip = o.page.locator("#tip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "EVIDENCE" in text and f"evidence type: {ev.evidence_type}" in text
    assert f"confidence {ev.confidence:.2f}" in text and ev.cues[0].description in text
    assert f"decided by {ev.rule}" in text
    o.page.hover('#map g.node[data-u="u1"]')
    assert "u1" not in tip.inner_text() and "confidence" in tip.inner_text()
    o.assert_quiet()


def test_map_zooms_and_pans(open_report: Any) -> None:
    o = open_report("oped")
    page = o.page

    def box() -> list[float]:
        return [float(v) for v in page.get_attribute("#map svg", "viewBox").split()]  # type: ignore[union-attr]

    home = box()
    page.click("button[data-zoom=in]")
    assert box()[2] < home[2]
    page.click("button[data-zoom=fit]")
    assert box() == home
    view = page.locator("#map").bounding_box()
    assert view is not None
    cx, cy = view["x"] + view["width"] / 2, view["y"] + view["height"] - 40
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"document.querySelector('#map svg').viewBox.baseVal.width < {home[2]}")
    zoomed = box()
    page.mouse.down()
    page.mouse.move(cx + 120, cy - 60, steps=6)
    page.mouse.up()
    assert box()[0] < zoomed[0] and box()[1] > zoomed[1]
    assert selected(page) == ([], [])  # a drag is not a click
    page.focus("#map")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("0")
    assert box() == home
    o.assert_quiet()


def test_findings_link_to_units_and_saved_maps_work(open_report: Any) -> None:
    o = open_report("small")
    o.page.click('#findings a.go[data-u="u3"]')
    assert selected(o.page) == (["u3"], ["u3"])
    o.assert_quiet()
    saved = open_report("saved")
    assert "No source text" in saved.page.inner_text("#text")
    saved.page.click('#map g.node[data-u="u4"]')
    assert selected(saved.page) == (["u4"], ["u4"])
    saved.assert_quiet()


def test_hostile_input_stays_inert(open_report: Any) -> None:
    o = open_report("hostile")
    page = o.page
    assert "<script>" in page.title()
    for uid in ("u1", "u2", "u3"):
        page.hover(f"#t-{uid}")
        page.click(f"#t-{uid}")
        page.hover(f'#map g.node[data-u="{uid}"]')
    page.click('#findings a.go[data-u="u2"]')
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.scripts.length") == 1
    assert "onerror" in page.inner_text("#tip") or "javascript:" in page.inner_text("#detail")
    o.assert_quiet()


def test_print_puts_the_map_first_and_hides_controls(open_report: Any) -> None:
    o = open_report("oped")
    o.page.emulate_media(media="print")
    assert not o.page.locator(".toolbar").is_visible()
    assert o.page.evaluate("getComputedStyle(document.getElementById('mapPane')).breakAfter") in (
        "page",
        "always",
    )
    map_box, text_box = (o.page.locator(s).bounding_box() for s in ("#mapPane", "#text"))
    assert map_box is not None and text_box is not None
    assert map_box["y"] < text_box["y"]
    o.assert_quiet()


def test_a_3000_word_piece_opens_and_responds_quickly(open_report: Any, reports: Any) -> None:
    start = time.perf_counter()
    o = open_report("large")
    load = time.perf_counter() - start
    units = o.page.evaluate("document.querySelectorAll('#text .u').length")
    assert units > 150
    frame = (
        "(sel) => new Promise(done => { const t = performance.now();"
        " document.querySelector(sel).dispatchEvent(new MouseEvent('click', {bubbles: true}));"
        " requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));"
        " })"
    )
    to_node = o.page.evaluate(frame, f"#t-u{units - 3}")
    to_text = o.page.evaluate(frame, '#map g.node[data-u="u9"]')
    assert selected(o.page) == (["u9"], ["u9"])
    assert load < 5.0, load
    assert to_node < 300 and to_text < 300, (to_node, to_text)
    o.assert_quiet()


def test_screenshot_of_the_op_ed_report(open_report: Any) -> None:
    """The README's picture: a claim selected, its node centred, its reasons in view."""
    o = open_report("oped")
    m = op_ed()[0]
    numbers = number_units(m)
    chosen = next((uid for uid, n in numbers.items() if n == "1.3"), m.thesis or "u1")
    o.page.click(f"#t-{chosen}")
    o.page.mouse.move(5, 890)
    o.page.evaluate("document.activeElement.blur()")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    o.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000
    o.assert_quiet()
