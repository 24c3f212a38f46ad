"""Argdown, AIF and Mermaid: goldens, round trips, the reference Argdown parser, escaping.

The Argdown tests that run ``@argdown/cli`` (``make argdown`` installs it into
``.node/``) are skipped where it is missing. All sample texts are invented.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.errors import InputError
from argmap.interchange import (
    AIF_TIMESTAMP,
    detect_format,
    export,
    from_aif,
    from_argdown,
    import_map,
    to_aif,
    to_argdown,
    to_mermaid,
)
from argmap.interchange.mermaid import escape_label
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit
from argmap.render.numbering import number_units

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "interchange"
ARGDOWN_BIN = ROOT / ".node" / "node_modules" / ".bin" / "argdown"
S, A = RelationKind.SUPPORT, RelationKind.ATTACK
needs_argdown = pytest.mark.skipif(
    not (ARGDOWN_BIN.exists() and shutil.which("node")),
    reason="reference Argdown CLI not installed (make argdown)",
)


def unit(n: int, role: Role, text: str, **kw: object) -> Unit:
    fields: dict[str, object] = {"line": n, "confidence": 0.8, "cues": [], **kw}
    return Unit(id=f"u{n}", role=role, text=text, start=10 * n, end=10 * n + 9, **fields)


def rel(src: int, dst: int, kind: RelationKind) -> Relation:
    return Relation(source=f"u{src}", target=f"u{dst}", kind=kind, confidence=0.7, cue="cue")


def sample_map() -> ArgumentMap:
    """All roles, both kinds, a shared unit (two relations) and a stray claim."""
    units = [
        unit(1, Role.CLAIM, "Night buses cost little: the U.S. average is $3.50 per rider."),
        unit(2, Role.THESIS, "The city should run night buses on weekends.", calls_for_action=True),
        unit(
            3,
            Role.EVIDENCE,
            "A 2023 survey found 40% of shift workers lack a ride home.",
            evidence_type=EvidenceType.STATISTIC,
        ),
        unit(4, Role.OBJECTION, "Critics say empty buses waste fuel [and money] #waste."),
        unit(5, Role.PREMISE, "But routes can follow demand, e.g. bar closing times."),
        unit(6, Role.RECOMMENDATION, "The council must fund a one-year pilot <now>."),
        unit(7, Role.CLAIM, "Taxis are too dear for most night workers."),
    ]
    relations = [rel(1, 2, S), rel(3, 2, S), rel(3, 1, S), rel(4, 2, A), rel(5, 4, A), rel(6, 2, S)]
    return ArgumentMap(thesis="u2", units=units, relations=relations, unattached=["u7"])


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with ARGMAP_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def shape(m: ArgumentMap) -> tuple[object, ...]:
    """What a round trip must keep: ids, texts, roles, evidence types, relations, thesis."""
    units = [(u.id, " ".join(u.text.split()), u.role, u.evidence_type) for u in m.units]
    relations = sorted((r.source, r.target, r.kind.value) for r in m.relations)
    return units, relations, m.thesis


# --- goldens --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("sample.argdown", "argdown"), ("sample.aif.json", "aif"), ("sample.mmd", "mermaid")],
)
def test_export_golden(name: str, fmt: str) -> None:
    check_golden(name, export(sample_map(), fmt))


def test_export_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="argdown, aif, mermaid"):
        export(sample_map(), "graphml")


def test_empty_map_exports_and_round_trips() -> None:
    empty = ArgumentMap()
    assert "No argument found" in to_argdown(empty)
    assert "No argument found" in to_mermaid(empty)
    assert from_argdown(to_argdown(empty)) == empty
    assert from_aif(to_aif(empty)) == empty


# --- Argdown ----------------------------------------------------------------------------


def test_argdown_shape_of_the_export() -> None:
    doc = to_argdown(sample_map())
    numbers = number_units(sample_map())
    assert numbers["u2"] == "1"
    assert (
        "\n[1]: The city should run night buses on weekends. #thesis #call-to-action {id: u2}\n"
        in doc
    )
    assert "\n  + <1.1>: Night buses cost little: the U\\.S. average is $3.50 per rider." in doc
    assert "\n    + [1.1.1]: A 2023 survey" in doc and "#evidence #statistic {id: u3}" in doc
    assert "\n  - <1.2>: Critics say empty buses waste fuel \\[and money\\] \\#waste." in doc
    assert "\n    - [1.2.1]: But routes" in doc
    assert "\n  + [1.1.1]\n" in doc  # the shared unit, referenced under its second target
    assert "\n[2]: Taxis are too dear for most night workers. #claim" not in doc
    assert "\n<2>: Taxis are too dear for most night workers. #claim {id: u7}\n" in doc


def test_argdown_round_trip_sample() -> None:
    m = sample_map()
    back = from_argdown(to_argdown(m))
    assert shape(back) == shape(m)
    assert back.unattached == ["u7"]
    assert all(u.confidence == 1.0 for u in back.units)


HAND_WRITTEN = """\
===
title: Bikes
===

# Should we build bike lanes?

// a line comment
[Lanes]: The town should build **protected** bike lanes. #(main claim)
  + <Safety>: Lanes cut crashes,
    as studies show.
    + [Data]: Crashes fell by half on Elm Street. #evidence #statistic
    +> [Consequence]: Fewer cars downtown.
  - <Cost>: They are _too expensive_. #objection
    - [Grants]: The state pays 80 percent.
  + [Lanes2]
  _ <Doubt>: Crash data are noisy.
  -> [Myth]: Cyclists never pay for roads.

<Cost>: They are too expensive /* really */ for us.

Plain untitled statement.
  + an untitled reason
"""


def test_argdown_hand_written_tree() -> None:
    m = from_argdown(HAND_WRITTEN, name="bikes.argdown")
    texts = {u.text: u for u in m.units}
    assert m.thesis == texts["The town should build protected bike lanes."].id
    assert texts["Lanes cut crashes, as studies show."].role is Role.CLAIM
    data = texts["Crashes fell by half on Elm Street."]
    assert (data.role, data.evidence_type) == (Role.EVIDENCE, EvidenceType.STATISTIC)
    assert texts["They are too expensive."].role is Role.OBJECTION
    assert "Lanes2" in texts  # a reference only: its title is its text
    kinds = {(m.unit(r.source).text, m.unit(r.target).text): r.kind for r in m.relations}
    lanes = "The town should build protected bike lanes."
    safety = "Lanes cut crashes, as studies show."
    assert kinds[(safety, "Fewer cars downtown.")] is S  # '+>': the parent supports the child
    assert kinds[("Crash data are noisy.", lanes)] is A  # an undercut, read as an attack
    assert kinds[(lanes, "Cyclists never pay for roads.")] is A
    assert kinds[("The state pays 80 percent.", "They are too expensive.")] is A
    assert kinds[("an untitled reason", "Plain untitled statement.")] is S
    assert [u.id for u in m.units] == [f"u{i}" for i in range(1, len(m.units) + 1)]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("[A]: x\n\n(1) premise\n----\n(2) conclusion\n", "premise-conclusion"),
        ("[A]: x\n\n* a list item\n", "lists"),
        ("  + [B]: nothing above\n", "nothing above"),
    ],
)
def test_argdown_outside_the_subset_is_an_input_error(doc: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        from_argdown(doc, name="x.argdown")


# --- AIF --------------------------------------------------------------------------------


def test_aif_structure() -> None:
    m = sample_map()
    data = json.loads(to_aif(m))
    assert set(data) == {"nodes", "edges", "locutions"} and data["locutions"] == []
    nodes = {n["nodeID"]: n for n in data["nodes"]}
    assert all(re.fullmatch(r"[1-9][0-9]*", i) for i in nodes)
    assert {n["timestamp"] for n in nodes.values()} == {AIF_TIMESTAMP}
    assert [n["text"] for n in data["nodes"] if n["type"] == "I"] == [u.text for u in m.units]
    schemes = [(n["type"], n["text"]) for n in data["nodes"] if n["type"] != "I"]
    assert schemes.count(("RA", "Default Inference")) == 4
    assert schemes.count(("CA", "Default Conflict")) == 2
    assert all(
        e["formEdgeID"] is None and set(e) == {"edgeID", "fromID", "toID", "formEdgeID"}
        for e in data["edges"]
    )
    assert len(data["edges"]) == 2 * len(m.relations)
    into = {e["toID"]: e["fromID"] for e in data["edges"] if nodes[e["toID"]]["type"] != "I"}
    out = {e["fromID"]: e["toID"] for e in data["edges"] if nodes[e["fromID"]]["type"] != "I"}
    triples = {(into[s], out[s], nodes[s]["type"]) for s in into}
    assert ("4", "2", "CA") in triples and ("3", "1", "RA") in triples
    assert to_aif(m) == to_aif(m)


def test_aif_round_trip_sample_keeps_what_aif_carries() -> None:
    m = sample_map()
    back = from_aif(to_aif(m))
    units, relations, thesis = shape(back)
    assert [(i, t) for i, t, _, _ in units] == [(u.id, u.text) for u in m.units]  # type: ignore[attr-defined]
    assert relations == shape(m)[1] and thesis == "u2"
    roles = {u.text: u.role for u in back.units}
    assert roles[m.unit("u4").text] is Role.OBJECTION  # attacks the author's side
    assert roles[m.unit("u1").text] is Role.CLAIM  # supported by the survey
    assert roles[m.unit("u3").text] is Role.PREMISE  # AIF has no "evidence"


def test_aif_from_other_tools() -> None:
    """AIFdb/OVA input: xAIF wrapper, numeric ids, L/YA nodes, linked premises, an undercut."""
    doc = {
        "AIF": {
            "nodes": [
                {"nodeID": 10, "text": "We should ban it", "type": "I"},
                {"nodeID": 11, "text": "It is harmful", "type": "I"},
                {"nodeID": 12, "text": "Harmful things should be banned", "type": "I"},
                {"nodeID": 13, "text": "Default Inference", "type": "RA"},
                {"nodeID": 14, "text": "Bob: it is harmful", "type": "L"},
                {"nodeID": 15, "text": "Asserting", "type": "YA"},
                {"nodeID": 16, "text": "The study was flawed", "type": "I"},
                {"nodeID": 17, "text": "Default Conflict", "type": "CA"},
            ],
            "edges": [
                {"edgeID": 1, "fromID": 11, "toID": 13},
                {"edgeID": 2, "fromID": 12, "toID": 13},
                {"edgeID": 3, "fromID": 13, "toID": 10},
                {"edgeID": 4, "fromID": 14, "toID": 15},
                {"edgeID": 5, "fromID": 15, "toID": 11},
                {"edgeID": 6, "fromID": 16, "toID": 17},
                {"edgeID": 7, "fromID": 17, "toID": 13},
            ],
        },
        "text": "",
    }
    m = from_aif(json.dumps(doc))
    texts = [u.text for u in m.units]
    assert texts == [
        "We should ban it",
        "It is harmful",
        "Harmful things should be banned",
        "The study was flawed",
    ]
    assert m.thesis == "u1"
    got = {(r.source, r.target, r.kind) for r in m.relations}
    assert got == {("u2", "u1", S), ("u3", "u1", S), ("u4", "u2", A)}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"edges": []}', "no 'nodes' list"),
        ('{"nodes": [{"text": "x"}]}', "no nodeID"),
    ],
)
def test_aif_bad_input(doc: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        from_aif(doc, name="x.aif.json")


# --- format detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("map.argdown", "[A]: x", "argdown"),
        ("map.AD", "[A]: x", "argdown"),
        ("map.aif.json", "{}", "aif"),
        ("export.json", '{"nodes": [], "edges": []}', "aif"),
        ("-", '{"AIF": {"nodes": []}}', "aif"),
        ("map.json", '{"units": []}', "argmap"),
        ("map.json", "garbage", "argmap"),
        ("-", '{"units": []}', "argmap"),
        ("piece.txt", "[A] prose that starts with a bracket", None),
        ("-", "Plain prose.", None),
    ],
)
def test_detect_format(name: str, text: str, expected: str | None) -> None:
    assert detect_format(name, text) == expected


def test_import_map_by_name_and_errors() -> None:
    m = sample_map()
    assert shape(import_map("m.argdown", to_argdown(m))) == shape(m)
    assert import_map("m.json", m.model_dump_json()) == m
    with pytest.raises(InputError, match=r"^m\.json: not a valid argmap JSON map"):
        import_map("m.json", '{"units": 3}')
    with pytest.raises(InputError, match="not a map file"):
        import_map("piece.txt", "prose")


# --- round trips over random maps ------------------------------------------------------------

PIECES = [
    "we",
    "should",
    "U.S.",
    "3.5",
    "e.g.",
    ":)",
    ".A.",
    "a:b:c",
    "#tag",
    "@[x]",
    "<y>",
    "[z]",
    "{k: v}",
    "*",
    "_",
    "**b**",
    "//",
    "/*",
    "*/",
    "<!--",
    "===",
    "\\",
    "\\n",
    '"',
    "'",
    "—",
    "+",
    "-",
    "->",
    "(1)",
    "--",
    "é",
    "中文",
    "😀",
    "|",
    "`",
    "$$",
    "&amp;",
    "%",
    "\ue000",
]
TEXT_PIECES = st.sampled_from(PIECES)
unit_text = (
    st.lists(TEXT_PIECES | st.text(min_size=1, max_size=8), min_size=1, max_size=8)
    .map(" ".join)
    .filter(lambda t: bool(t.split()))
)


@st.composite
def random_maps(draw: st.DrawFn) -> ArgumentMap:
    n = draw(st.integers(1, 9))
    texts = draw(st.lists(unit_text, min_size=n, max_size=n))
    has_thesis = draw(st.booleans())
    thesis = draw(st.integers(1, n)) if has_thesis else None
    others = [r for r in Role if r is not Role.THESIS]
    units = []
    for i, text in enumerate(texts, start=1):
        role = Role.THESIS if i == thesis else draw(st.sampled_from(others))
        kind = draw(st.sampled_from(EvidenceType)) if role is Role.EVIDENCE else None
        units.append(unit(i, role, text, evidence_type=kind))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(1, n), st.integers(1, n), st.sampled_from(RelationKind)),
            max_size=2 * n,
        )
    )
    seen: set[tuple[int, int]] = set()
    relations = []
    for s, t, k in pairs:
        if s != t and (s, t) not in seen and s != thesis:
            seen.add((s, t))
            relations.append(rel(s, t, k))
    linked = {r.source for r in relations}
    unattached = [
        u.id for u in units if u.id not in linked and u.id != (f"u{thesis}" if thesis else None)
    ]
    return ArgumentMap(
        thesis=f"u{thesis}" if thesis else None,
        units=units,
        relations=relations,
        unattached=unattached,
    )


ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(m=random_maps())
def test_argdown_round_trip_random(m: ArgumentMap) -> None:
    assert shape(from_argdown(to_argdown(m))) == shape(m)


@ROUND_TRIP
@given(m=random_maps())
def test_aif_round_trip_random(m: ArgumentMap) -> None:
    from argmap.interchange._build import pick_thesis, structural_roles

    back = from_aif(to_aif(m))
    units, relations, thesis = shape(back)
    assert [(i, t) for i, t, _, _ in units] == [(u.id, " ".join(u.text.split())) for u in m.units]  # type: ignore[attr-defined]
    assert relations == shape(m)[1]
    triples = [(r.source, r.target, r.kind) for r in m.relations]
    assert thesis == pick_thesis([u.id for u in m.units], triples)
    roles = structural_roles([u.id for u in m.units], triples, thesis)
    assert [u.role for u in back.units] == [roles[u.id][0] for u in m.units]
    assert from_aif(to_aif(back)) == back  # a second trip changes nothing


# --- the reference Argdown tool ----------------------------------------------------------------


def run_argdown(tmp_path: Path, doc: str) -> dict[str, object]:
    source = tmp_path / "map.argdown"
    source.write_text(doc, encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(ARGDOWN_BIN), "json", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "syntax error" not in (done.stdout + done.stderr).lower()
    result: dict[str, object] = json.loads((out / "map.json").read_text(encoding="utf-8"))
    return result


def tool_text(member: dict[str, object]) -> str:
    """A member's text without its tags (the tool keeps tags in the text, marked by ranges).

    Range offsets are JavaScript string indices: UTF-16 code units.
    """
    units = str(member.get("text") or "").encode("utf-16-le")
    ranges = member.get("ranges") or []
    cut = sorted(((r["start"], r["stop"]) for r in ranges if r["type"] == "tag"), reverse=True)  # type: ignore[index,union-attr]
    for start, stop in cut:
        units = units[: 2 * start] + units[2 * (stop + 1) :]
    return " ".join(units.decode("utf-16-le").split())


def tool_view(data: dict[str, object]) -> tuple[object, ...]:
    def texts(kind: str) -> dict[str, str]:
        elements = data[kind]
        assert isinstance(elements, dict)
        found = {}
        for title, element in elements.items():
            members = [tool_text(mb) for mb in element["members"]]
            found[title] = next((t for t in members if t), "")
        return found

    relations = sorted(
        (r["from"], r["to"], r["relationType"])
        for r in data["relations"]  # type: ignore[attr-defined]
    )
    return texts("statements"), texts("arguments"), relations


def our_view(m: ArgumentMap) -> tuple[object, ...]:
    numbers = number_units(m)
    statements = {Role.THESIS, Role.PREMISE, Role.EVIDENCE}
    mine = {numbers[u.id]: " ".join(u.text.split()) for u in m.units if u.role in statements}
    args = {numbers[u.id]: " ".join(u.text.split()) for u in m.units if u.role not in statements}
    relations = sorted((numbers[r.source], numbers[r.target], r.kind.value) for r in m.relations)
    return mine, args, relations


@needs_argdown
def test_reference_argdown_reads_the_export(tmp_path: Path) -> None:
    m = sample_map()
    assert tool_view(run_argdown(tmp_path, to_argdown(m))) == our_view(m)


@needs_argdown
def test_reference_argdown_reads_the_oped_export(tmp_path: Path) -> None:
    m = ArgumentMap.model_validate_json(
        (ROOT / "tests" / "golden" / "examples" / "kellogg-oped.txt.json").read_text("utf-8")
    )
    assert tool_view(run_argdown(tmp_path, to_argdown(m))) == our_view(m)


@needs_argdown
def test_reference_argdown_agrees_on_tricky_text(tmp_path: Path) -> None:
    """Hundreds of random texts full of Argdown markup, in one document, read back literally."""
    rng = random.Random(5)
    alphabet = "abc .,:;!?-+_*#@/\\[]{}()<>=~`'\"|&$%^"
    texts = []
    for _ in range(300):
        words = [
            rng.choice(PIECES)
            if rng.random() < 0.5
            else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
            for _ in range(rng.randint(1, 6))
        ]
        text = " ".join(" ".join(words).split())
        texts.append(text or "x")
    units = [unit(1, Role.THESIS, "Root.")]
    units += [
        unit(i, rng.choice([Role.CLAIM, Role.EVIDENCE]), t) for i, t in enumerate(texts, start=2)
    ]
    relations = [rel(i, 1, S) for i in range(2, len(units) + 1)]
    m = ArgumentMap(thesis="u1", units=units, relations=relations)
    assert tool_view(run_argdown(tmp_path, to_argdown(m))) == our_view(m)


@needs_argdown
def test_reference_argdown_agrees_with_our_reader_on_hand_written_trees(tmp_path: Path) -> None:
    doc = HAND_WRITTEN + "\n[T]: Top.\n  -F: no space\n  +G: no space either\n  >< [H]: a rival\n"
    data = run_argdown(tmp_path, doc)
    text_of: dict[str, str] = {}
    for kind in ("statements", "arguments"):
        for title, element in data[kind].items():  # type: ignore[attr-defined]
            members = [tool_text(mb) for mb in element["members"]]
            text_of[title] = next((t for t in members if t), title)
    kinds = {"support": S, "attack": A, "undercut": A, "contradictory": A}
    theirs = {
        (text_of[r["from"]], text_of[r["to"]], kinds[r["relationType"]])
        for r in data["relations"]  # type: ignore[attr-defined]
    }
    m = from_argdown(doc)
    ours = {(m.unit(r.source).text, m.unit(r.target).text, r.kind) for r in m.relations}
    contradiction = (
        "Top.",
        "a rival",
        A,
    )  # Argdown writes it parent -> child; argmap child -> parent
    assert contradiction in theirs and ("a rival", "Top.", A) in ours
    assert theirs - {contradiction} == ours - {("a rival", "Top.", A)}
    assert sorted(text_of.values()) == sorted(u.text for u in m.units)


# --- Mermaid ---------------------------------------------------------------------------------


def test_mermaid_structure() -> None:
    m = sample_map()
    chart = to_mermaid(m)
    lines = chart.splitlines()
    assert lines[0] == "flowchart BT"
    assert (
        'u2(["1 THESIS · call to action<br/>The city should run night buses<br/>on weekends."])'
        in chart
    )
    assert "u4{{" in chart and "u3[/" in chart and "u6>" in chart
    assert '  u4 -.->|"\u2212"| u2' in chart and '  u1 -->|"+"| u2' in chart
    assert sum(line.startswith("  linkStyle ") for line in lines) == len(m.relations)
    assert "  class u2 thesis" in chart
    assert "fuel [and money] #35;waste." in chart and "#60;now#62;" in chart


def decode(label: str) -> str:
    return re.sub(r"#(\d+);", lambda mt: chr(int(mt.group(1))), label)


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_mermaid_labels_are_literal(text: str) -> None:
    label = escape_label(text)
    assert not set(label) & set('"<>&*_`~$\\')
    assert re.sub(r"#\d+;", "", label).count("#") == 0
    blanked = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Cn") else ch for ch in text)
    assert decode(label) == blanked
