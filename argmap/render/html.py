"""The map as one self-contained, interactive HTML report.

An instructor mails the file to students or opens it from a USB stick, so the
report is a single file that never touches the network: inline CSS, inline
SVG (the same diagram as ``-f svg``) and a little plain JavaScript, locked down
by a Content-Security-Policy that admits only that one script and stylesheet
(by hash) and no requests at all.

The input is untrusted (a saved JSON map can hold any text in any field), so
every piece of user text goes through :func:`_esc` on its way into HTML, and
the Graphviz SVG is re-parsed and rebuilt from an allow-list of elements and
attributes before it is inlined. Interactivity reads unit details from
``data-`` attributes and writes them back with ``textContent`` only.

Output is deterministic (no timestamps, no random ids) like every other render.
"""

from __future__ import annotations

import base64
import hashlib
import html
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from string import Template

from argmap._version import __version__
from argmap.model import ArgumentMap, Relation, Role, Skipped, Unit
from argmap.render.dot import EDGE_STYLES, ROLE_STYLES, to_dot
from argmap.render.image import render_image
from argmap.render.numbering import number_units
from argmap.render.outline import CALL_TO_ACTION, calls_out, role_heading

__all__ = ["to_html"]

_SVG_ELEMENTS = {"svg", "g", "title", "path", "polygon", "polyline", "ellipse", "text"}
_SVG_ATTRIBUTES = {
    "class", "d", "points", "cx", "cy", "rx", "ry", "x", "y", "transform", "viewBox",
    "fill", "stroke", "stroke-width", "stroke-dasharray", "fill-opacity", "stroke-opacity",
    "text-anchor", "font-family", "font-size", "font-weight", "font-style",
}  # fmt: skip
_FINDING_UNIT_FIELDS = ("unit", "unit_id", "units", "unit_ids", "related")


# Control characters (but newline and tab) blank out, lone surrogates become U+FFFD:
# the HTML parser rewrites some and XML rejects them, shifting what a reader sees.
_CLEAN = {c: " " for c in (*range(32), *range(127, 160)) if chr(c) not in "\n\t"} | {
    c: "\ufffd" for c in range(0xD800, 0xE000)
}


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_CLEAN)


def _esc(text: str) -> str:
    """Escape user text for HTML text and attribute values.

    Braces become character references too, so that a client-side template
    engine that ever wraps the report cannot find ``{{ }}`` to evaluate.
    """
    escaped = html.escape(_clean(text), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def _asset(name: str) -> str:
    return (resources.files("argmap.render") / "assets" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _csp(script: str, style: str) -> str:
    """Allow exactly our inline script and stylesheet; forbid every fetch."""
    return (
        f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _lighter(colour: str, share: float) -> str:
    """Mix a ``#RRGGBB`` colour with white: long runs of tinted text need less ink."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


def _role_css() -> str:
    """Role colours as CSS custom properties, taken from the diagram's styles."""
    rules = [
        f".r-{role.value}{{--fill:{_lighter(s.fill, 0.45)};--border:{s.border}}}"
        for role, s in ROLE_STYLES.items()
    ]
    rules += [f".k-{kind.value}{{--edge:{s.color}}}" for kind, s in EDGE_STYLES.items()]
    return "\n".join(rules) + "\n"


_LAST_MAP: list[tuple[ArgumentMap, dict[str, list[Relation]], frozenset[str]]] = []


def _outgoing(m: ArgumentMap) -> tuple[dict[str, list[Relation]], frozenset[str]]:
    """Each unit's relations and the unattached units, found once per map (not once per unit)."""
    if not _LAST_MAP or _LAST_MAP[0][0] is not m:
        by_source: dict[str, list[Relation]] = {}
        for r in m.relations:
            by_source.setdefault(r.source, []).append(r)
        _LAST_MAP[:] = [(m, by_source, frozenset(m.unattached))]
    return _LAST_MAP[0][1], _LAST_MAP[0][2]


def _relation_lines(m: ArgumentMap, unit: Unit, numbers: dict[str, str]) -> str:
    outgoing, unattached = _outgoing(m)
    lines = [
        f"{EDGE_STYLES[r.kind].verb} {numbers[r.target]}"
        + (f" (cue: {r.cue.description or r.cue.kind.value})" if r.cue else "")
        for r in outgoing.get(unit.id, [])
    ]
    if unit.id in unattached:
        lines.append("not attached to the argument")
    return "\n".join(lines)


def _unit_span(m: ArgumentMap, unit: Unit, numbers: dict[str, str], text: str) -> str:
    """One unit in the text pane: the place its details live for the script."""
    attrs = {
        "class": f"u r-{unit.role.value}",
        "id": f"t-{unit.id}",
        "data-u": unit.id,
        "data-n": numbers[unit.id],
        "data-role": role_heading(unit),
        "data-ev": unit.evidence_type.value if unit.evidence_type else "",
        "data-conf": f"{unit.confidence:.2f}",
        "data-rule": unit.rule,
        "data-cues": "\n".join(c.description or c.kind.value for c in unit.cues),
        "data-rel": _relation_lines(m, unit, numbers),
        "tabindex": "0",
        "role": "button",
        "aria-pressed": "false",
    }
    attr_text = " ".join(f'{k}="{_esc(v)}"' for k, v in attrs.items())
    marker = f" \u00b7 {CALL_TO_ACTION}" if calls_out(unit) else ""
    tag = f'<span class="tag">{_esc(numbers[unit.id])} {_esc(unit.role.value + marker)}</span>'
    return f"<span {attr_text}>{tag}{_esc(text)}</span>"


def _skip_span(skipped: Skipped, text: str) -> str:
    reason = _esc(skipped.reason)
    return (
        f'<span class="skip" data-reason="{reason}">'
        f'<span class="tag">not argument: {reason}</span>{_esc(text)}</span>'
    )


def _plain(text: str, *, spaced: bool) -> str:
    """Text outside units; ``spaced`` marks each line break as a paragraph break.

    A piece with one paragraph per line (most pasted op-eds) would otherwise
    read as one wall of text.
    """
    escaped = _esc(text)
    return escaped.replace("\n", '<span class="pb"></span>') if spaced else escaped


def _gap(
    source: str, start: int, end: int, skipped: list[Skipped], *, spaced: bool
) -> Iterator[str]:
    """Text between two units, with the skipped regions that fall in it greyed."""
    pos = start
    for s in skipped:
        a, b = max(s.start, pos), min(s.end, end)
        if a >= b:
            continue
        if a > pos:
            yield _plain(source[pos:a], spaced=spaced)
        yield _skip_span(s, source[a:b])
        pos = b
    if pos < end:
        yield _plain(source[pos:end], spaced=spaced)


def _source_pane(m: ArgumentMap, source: str, numbers: dict[str, str]) -> str | None:
    """The whole source, units highlighted; None if the map does not fit this text."""
    units = sorted(m.units, key=lambda u: (u.start, u.end))
    skipped = sorted(m.skipped, key=lambda s: (s.start, s.end))
    spaced = "\n\n" not in source.replace("\r\n", "\n")
    parts: list[str] = []
    pos = 0
    for unit in units:
        if unit.start < pos or unit.end > len(source) or source[unit.start : unit.end] != unit.text:
            return None
        parts.extend(_gap(source, pos, unit.start, skipped, spaced=spaced))
        parts.append(_unit_span(m, unit, numbers, unit.text))
        pos = unit.end
    parts.extend(_gap(source, pos, len(source), skipped, spaced=spaced))
    return '<div class="source">' + "".join(parts) + "</div>"


def _units_pane(m: ArgumentMap, numbers: dict[str, str], note: str) -> str:
    """The units alone, one paragraph per source line: a saved map has no source."""
    paragraphs: list[list[str]] = []
    line = None
    for unit in m.units:
        if unit.line != line or not paragraphs:
            paragraphs.append([])
            line = unit.line
        paragraphs[-1].append(_unit_span(m, unit, numbers, " ".join(unit.text.split())))
    body = "".join(f"<p>{' '.join(p)}</p>" for p in paragraphs)
    return f'<p class="note">{_esc(note)}</p><div class="units-only">{body}</div>'


def _text_pane(m: ArgumentMap, source: str | None, numbers: dict[str, str]) -> str:
    if not m.units:
        return '<p class="note">No argument found in this text.</p>' + (
            f'<div class="source">{_esc(source)}</div>' if source else ""
        )
    if source is None:
        return _units_pane(m, numbers, "No source text (a saved map): showing its units in order.")
    pane = _source_pane(m, source, numbers)
    if pane is None:
        return _units_pane(m, numbers, "The map does not match this text: showing its units.")
    return pane


_XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def _rebuild(el: ET.Element, tips: list[str]) -> list[ET.Element]:
    """Copy an SVG element through the allow-list; ``<a>`` wrappers dissolve.

    Graphviz wraps each shape in ``<a xlink:title=...>`` for its tooltip. The
    tooltip text is collected into ``tips`` of the nearest node or edge group
    (kept as ``data-tip`` until :func:`_map_svg` decides what to do with it),
    so no link and no unknown element or attribute ever reaches the page.
    """
    name = el.tag.rpartition("}")[2]
    if name == "a":
        tip = el.get(_XLINK_TITLE)
        if tip:
            tips.append(tip)
        return [copy for child in el for copy in _rebuild(child, tips)]
    if name not in _SVG_ELEMENTS:
        return []
    copy = ET.Element(name, {k: v for k, v in el.attrib.items() if k in _SVG_ATTRIBUTES})
    copy.text = el.text if name in ("title", "text") else None
    inner: list[str] = [] if name == "g" and el.get("class") else tips
    for child in el:
        copy.extend(_rebuild(child, inner))
    if inner is not tips and inner:
        copy.set("data-tip", inner[0])
    return [copy]


def _map_svg(m: ArgumentMap, numbers: dict[str, str], *, direction: str, width: int) -> str:
    """The ``-f svg`` diagram, sanitised and wired to the units for inlining.

    Graphviz names each node group by a ``<title>`` holding the node name (the
    unit id) and each edge by ``target->source``; those become ``data-``
    attributes, so no change to the DOT is needed. Node tooltips give way to
    the report's own; edges keep theirs (relation, cue, confidence) as titles.
    """
    raw = render_image(to_dot(m, direction=direction, width=width), "svg").decode("utf-8")
    svg = _rebuild(ET.fromstring(raw), [])[0]
    units = {u.id: u for u in m.units}
    for g in svg.iter("g"):
        title = g.find("title")
        name = (title.text or "") if title is not None else ""
        if title is not None:
            g.remove(title)
        tip = g.attrib.pop("data-tip", None)
        cls = g.get("class")
        if cls == "node" and name in units:  # a keyboard-reachable button, tied to its text
            u = units[name]
            label = f"{numbers[name]} {role_heading(u)}: {' '.join(u.text.split())}"
            g.attrib.update(
                {"data-u": name, "tabindex": "0", "role": "button", "aria-label": _clean(label)}
            )
        elif cls == "edge" and "->" in name:
            target, _, source = name.partition("->")
            g.set("data-t", target)
            g.set("data-s", source)
            if tip:
                g.insert(0, ET.Element("title"))
                g[0].text = _clean(tip)
    svg.set("role", "group")
    svg.set("aria-label", "Argument map")
    text = ET.tostring(svg, encoding="unicode")
    return text.replace("{", "&#123;").replace("}", "&#125;")


def _finding_fields(f: object) -> dict[str, str | list[str]]:
    """Read a finding by duck typing: an ``argmap.check.Finding`` or a mapping.

    Only ``code``, ``name``, ``severity``, ``message``, ``fix`` and the unit
    fields are read, so the report neither imports ``argmap.check`` nor breaks
    when its ``Finding`` grows.
    """

    def get(name: str) -> object:
        return f.get(name) if isinstance(f, Mapping) else getattr(f, name, None)

    ids: list[str] = []
    for name in _FINDING_UNIT_FIELDS:
        value = get(name)
        if isinstance(value, str):
            ids.append(value)
        elif isinstance(value, Sequence):
            ids.extend(str(v) for v in value)
    fields: dict[str, str | list[str]] = {
        name: "" if get(name) is None else str(getattr(get(name), "value", get(name)))
        for name in ("code", "name", "severity", "message", "fix")
    }
    fields["units"] = list(dict.fromkeys(ids))
    return fields


def _findings_panel(findings: Sequence[object], numbers: dict[str, str]) -> str:
    """Each finding as one line that links to the units it is about."""
    items: list[str] = []
    for finding in findings:
        f = _finding_fields(finding)
        links = " ".join(
            f'<a class="go" href="#t-{_esc(uid)}" data-u="{_esc(uid)}">{_esc(numbers[uid])}</a>'
            for uid in f["units"]
            if uid in numbers
        )
        sev = str(f["severity"])
        items.append(
            "<li>"
            + (f'<span class="sev sev-{_esc(sev.lower())}">{_esc(sev)}</span> ' if sev else "")
            + f"<code>{_esc(str(f['code']))}</code> <b>{_esc(str(f['name']))}</b> "
            + f"{_esc(str(f['message']))} {links}"
            + (f'<span class="fix">{_esc(str(f["fix"]))}</span>' if f["fix"] else "")
            + "</li>"
        )
    body = f"<ul>{''.join(items)}</ul>" if items else '<p class="note">No findings.</p>'
    return (
        f'<section id="findings" aria-label="Findings">'
        f"<h2>Findings ({len(findings)})</h2>{body}</section>"
    )


def _legend(m: ArgumentMap) -> str:
    items = []
    for role in Role:
        count = sum(1 for u in m.units if u.role is role)
        items.append(
            f'<li class="{"" if count else "zero"}"><span class="sw u r-{role.value}">'
            f'<span class="tag">{role.value}</span></span> <b>{count}</b></li>'
        )
    arrows = "".join(
        f'<li><svg class="arrow k-{kind.value}" width="44" height="14" aria-hidden="true">'
        f'<line x1="2" y1="7" x2="34" y2="7"/><path d="M34 2 L43 7 L34 12 Z"/></svg> '
        f"{s.verb} ({s.marker})</li>"
        for kind, s in EDGE_STYLES.items()
    )
    skipped = (
        '<li><span class="sw skip"><span class="tag">not argument</span></span> '
        f"<b>{len(m.skipped)}</b></li>"
    )
    key = "".join(items) + arrows + skipped
    return f'<ul class="legend" aria-label="Key and counts by role">{key}</ul>'


def _header(m: ArgumentMap, numbers: dict[str, str], title: str) -> str:
    if m.thesis is not None:
        thesis = m.unit(m.thesis)
        line = (
            f'<a class="go" href="#t-{_esc(thesis.id)}" data-u="{_esc(thesis.id)}">'
            f"{_esc(numbers[thesis.id])}</a> {_esc(' '.join(thesis.text.split()))}"
        )
    else:
        line = '<span class="note">No thesis found.</span>'
    summary = (
        f"{len(m.units)} units · {len(m.relations)} relations · {len(m.unattached)} unattached"
    )
    return (
        '<header class="top"><a class="skiplink" href="#map">Skip to the map</a>'
        f'<div class="titlebar"><h1>{_esc(title)}</h1><span class="meta">{summary}</span></div>'
        f'<p class="thesis"><span class="label">Thesis</span> {line}</p>{_legend(m)}</header>'
    )


def to_html(
    m: ArgumentMap,
    source: str | None,
    *,
    title: str,
    findings: Sequence[object] | None = None,
    direction: str = "TB",
    width: int = 32,
) -> str:
    """Render the map as one self-contained, interactive HTML page.

    Args:
        m: The argument map.
        source: The text the map was made from (``None`` for a saved map: the
            units' own texts are shown in order instead). A text the map's
            offsets do not fit is treated the same way.
        title: Shown as the page title and heading (e.g. the file name).
        findings: Optional ``argmap check`` findings; each links to its units.
        direction: Diagram direction, as for the SVG render.
        width: Characters per line in the diagram's nodes.

    Returns:
        The HTML document.

    Raises:
        RenderError: If Graphviz ``dot`` is missing or fails.
    """
    numbers = number_units(m)
    style = _asset("report.css") + _role_css()
    script = _asset("report.js")
    return Template(_asset("report.html")).substitute(
        csp=_csp(script, style),
        title=_esc(title),
        style=style,
        header=_header(m, numbers, title),
        text=_text_pane(m, source, numbers),
        svg=_map_svg(m, numbers, direction=direction, width=width),
        findings=_findings_panel(findings, numbers) if findings is not None else "",
        version=_esc(__version__),
        script=script,
    )
