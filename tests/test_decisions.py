"""Tests for argmap.evaluation.decisions, the decision table and ``argmap eval``.

Gold pieces are built by hand from short invented sentences and the maps by
fake analyzers, so every expected score can be checked on paper; nothing
needs spaCy or the shared corpora.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.errors import InputError, ModelError
from argmap.evaluation import (
    GoldPiece,
    GoldUnit,
    cached_analyzer,
    evaluate_pieces,
    format_decisions,
    format_decisions_json,
    score_piece,
    summarize_pieces,
)
from argmap.evaluation.readings import opponent_units, unit_type_of
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit

Span = tuple[int, int]
S, A = RelationKind.SUPPORT, RelationKind.ATTACK


def _spans(text: str, parts: list[str]) -> list[Span]:
    out = []
    for part in parts:
        start = text.index(part)
        out.append((start, start + len(part)))
    return out


def _map(
    text: str,
    spans: list[Span],
    roles: list[Role],
    relations: Sequence[tuple[int, int, RelationKind]] = (),
    *,
    thesis: int | None = 0,
    types: dict[int, EvidenceType] | None = None,
) -> ArgumentMap:
    types = types or {}
    units = [
        Unit(
            id=f"u{i + 1}",
            role=role,
            text=text[a:b],
            start=a,
            end=b,
            line=1,
            confidence=0.5,
            evidence_type=types.get(i),
        )
        for i, ((a, b), role) in enumerate(zip(spans, roles, strict=True))
    ]
    rels = [
        Relation(source=f"u{s + 1}", target=f"u{t + 1}", kind=kind, confidence=0.5)
        for s, t, kind in relations
    ]
    return ArgumentMap(
        thesis=None if thesis is None else f"u{thesis + 1}", units=units, relations=rels
    )


def _piece(
    corpus: str, text: str, parts: list[str], fields: list[dict[str, Any]], **extra: Any
) -> GoldPiece:
    decisions = {
        "microtexts": {"thesis", "stance", "attachment"},
        "essays": {"thesis", "stance", "unit_type", "attachment"},
        "editorials": {"evidence", "evidence_type"},
        "cdcp": {"recommendation", "attachment"},
    }[corpus]
    units = [
        GoldUnit(start=a, end=b, text=text[a:b], paragraph=0, **f)
        for (a, b), f in zip(_spans(text, parts), fields, strict=True)
    ]
    return GoldPiece(
        id=extra.pop("id", f"{corpus}-1"),
        corpus=corpus,  # type: ignore[arg-type]
        source=extra.pop("source", corpus),
        text=text,
        units=units,
        decisions=frozenset(decisions),  # type: ignore[arg-type]
        **extra,
    )


MICRO_TEXT = "Towns need trees. Trees cool streets. Yet trees cost money. Costs are small."
MICRO_PARTS = [
    "Towns need trees.",
    "Trees cool streets.",
    "Yet trees cost money.",
    "Costs are small.",
]


def micro() -> GoldPiece:
    fields = [
        {"is_thesis": True, "stance": "proponent"},
        {"is_thesis": False, "stance": "proponent", "head": 0, "function": "support"},
        {"is_thesis": False, "stance": "opponent", "head": 0, "function": "attack"},
        {"is_thesis": False, "stance": "proponent", "head": 2, "function": "attack"},
    ]
    return _piece(
        "microtexts",
        MICRO_TEXT,
        MICRO_PARTS,
        fields,
        links=[(1, 0, "support"), (2, 0, "attack"), (3, 2, "attack")],
    )


def micro_map(piece: GoldPiece, **kw: Any) -> ArgumentMap:
    roles = [Role.THESIS, Role.PREMISE, Role.OBJECTION, Role.PREMISE]
    rels = [(1, 0, S), (2, 0, A), (3, 2, A)]
    return _map(piece.text, [(u.start, u.end) for u in piece.units], roles, rels, **kw)


# --- reading a map ---------------------------------------------------------------


def test_opponents_follow_the_parity_of_attacks() -> None:
    text = "a. b. c. d. e. f."
    spans = [(i * 3, i * 3 + 2) for i in range(6)]
    roles = [Role.THESIS, Role.PREMISE, Role.PREMISE, Role.PREMISE, Role.OBJECTION, Role.PREMISE]
    # u2 attacks the thesis; u3 backs u2; u4 attacks u2; u5 is an unattached objection;
    # u6 backs u4, so its path u6 -> u4 -> u2 -> u1 crosses two attacks.
    rels = [(1, 0, A), (2, 1, S), (3, 1, A), (5, 3, S)]
    amap = _map(text, spans, roles, rels)
    assert opponent_units(amap) == {"u2", "u3", "u5"}


def test_opponent_walk_stops_on_a_cycle() -> None:
    text = "a. b. c."
    spans = [(0, 2), (3, 5), (6, 8)]
    amap = _map(text, spans, [Role.THESIS, Role.PREMISE, Role.PREMISE], [(1, 2, A), (2, 1, S)])
    assert opponent_units(amap) == {"u2", "u3"}


def test_unit_type_mapping() -> None:
    text = "a. b. c. d. e."
    spans = [(i * 3, i * 3 + 2) for i in range(5)]
    roles = [Role.THESIS, Role.CLAIM, Role.EVIDENCE, Role.OBJECTION, Role.PREMISE]
    amap = _map(text, spans, roles, [(1, 0, S), (2, 1, S), (3, 0, A), (4, 3, A)])
    primary = {r.source: r for r in amap.relations}
    assert [unit_type_of(u, amap, primary) for u in amap.units] == [
        "major_claim",
        "claim",
        "premise",
        "claim",
        "premise",
    ]


# --- one piece --------------------------------------------------------------------


def test_perfect_microtext() -> None:
    piece = micro()
    result = score_piece(piece, micro_map(piece))
    assert result.thesis is True and result.major_claim_thesis is None
    assert result.stance == [
        ("proponent", "proponent"),
        ("proponent", "proponent"),
        ("opponent", "opponent"),
        ("proponent", "proponent"),
    ]
    assert result.gold_edges == result.pred_edges == [(1, 0), (2, 0), (3, 2)]
    assert result.function == [("cc", "cc"), ("support", "support")] + [("attack", "attack")] * 2
    assert result.evidence == [] and result.recommendation == [] and result.unit_type == []
    (row,) = summarize_pieces([result], gold_segments=True)
    assert row.thesis == 1.0
    assert row.stance is not None and row.stance.macro_f1 == 1.0
    assert row.links is not None and row.links.f1 == 1.0
    assert row.fu is not None and row.at is not None and row.at.macro_f1 == 1.0
    assert row.evidence is None and row.recommendation is None and row.unit_type is None


def test_essay_thesis_on_another_major_claim_and_unit_types() -> None:
    text = "Cats win. Cats are calm. They sleep a lot. So cats win."
    parts = ["Cats win.", "Cats are calm.", "They sleep a lot.", "So cats win."]
    fields = [
        {"is_thesis": True, "stance": "proponent", "label": "major_claim"},
        {"stance": "proponent", "label": "claim", "head": 0, "function": "support"},
        {"stance": "proponent", "label": "premise", "head": 1, "function": "support"},
        {"stance": "proponent", "label": "major_claim", "head": 0, "function": "support"},
    ]
    piece = _piece(
        "essays",
        text,
        parts,
        fields,
        links=[(1, 0, "support"), (2, 1, "support"), (3, 0, "support")],
    )
    spans = [(u.start, u.end) for u in piece.units]
    roles = [Role.PREMISE, Role.PREMISE, Role.EVIDENCE, Role.THESIS]
    amap = _map(text, spans, roles, [(0, 3, S), (1, 3, S), (2, 1, S)], thesis=3)
    result = score_piece(piece, amap)
    assert (result.thesis, result.major_claim_thesis) == (False, True)
    # u1 and u2 bear straight on the thesis: claims; u3 is a premise; u4 the thesis.
    assert [p for _, p in result.unit_type] == ["claim", "claim", "premise", "major_claim"]
    (row,) = summarize_pieces([result], gold_segments=True)
    assert (row.thesis, row.major_claim_thesis) == (0.0, 1.0)
    assert row.unit_type is not None
    # major_claim: gold 2, pred 1, correct 1 -> 2/3; claim: gold 1, pred 2, correct 1 -> 2/3;
    # premise 1/1 -> 1.
    assert row.unit_type.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


EDITORIAL_TEXT = "Rain helps. Farmers said so. Nine in ten fields grew. A storm hit Leeds."
EDITORIAL_PARTS = [
    "Rain helps.",
    "Farmers said so.",
    "Nine in ten fields grew.",
    "A storm hit Leeds.",
]


def editorial(source: str = "paper-a", id: str = "ed-1") -> GoldPiece:
    fields = [
        {"label": "assumption", "is_evidence": False},
        {"label": "testimony", "is_evidence": True, "evidence_type": "testimony"},
        {"label": "statistics", "is_evidence": True, "evidence_type": "statistic"},
        {"label": "anecdote", "is_evidence": True, "evidence_type": "example"},
    ]
    return _piece("editorials", EDITORIAL_TEXT, EDITORIAL_PARTS, fields, source=source, id=id)


def test_editorial_evidence_and_types_with_an_unaligned_unit() -> None:
    piece = editorial()
    spans = [(u.start, u.end) for u in piece.units]
    a, _ = spans[3]
    spans[3] = (a, a + 3)  # too short to align: the anecdote is missed
    roles = [Role.EVIDENCE, Role.EVIDENCE, Role.EVIDENCE, Role.EVIDENCE]
    types = {0: EvidenceType.EXAMPLE, 1: EvidenceType.TESTIMONY, 2: EvidenceType.EXAMPLE}
    result = score_piece(piece, _map(piece.text, spans, roles, types=types))
    assert result.matched == 3
    assert result.evidence == [
        ("other", "evidence"),
        ("evidence", "evidence"),
        ("evidence", "evidence"),
        ("evidence", "other"),
    ]
    assert result.evidence_type == [
        ("testimony", "testimony"),
        ("statistic", "example"),
        ("example", "none"),
    ]
    (row,) = summarize_pieces([result], gold_segments=False)
    assert row.evidence is not None and row.evidence.f1 == pytest.approx(2 * 2 / (3 + 3))
    assert row.evidence_type is not None and row.evidence_type_found is not None
    # testimony 1; statistic gold 1 pred 0 -> 0; example gold 1 pred 1 correct 0 -> 0.
    assert row.evidence_type.macro_f1 == pytest.approx(1 / 3)
    assert row.evidence_type_found.total == 2
    assert row.segmentation.matched == 3 and row.thesis is None


CDCP_TEXT = "Fees are high. I paid twice. The agency should cap fees. Caps are unfair."
CDCP_PARTS = ["Fees are high.", "I paid twice.", "The agency should cap fees.", "Caps are unfair."]


def cdcp() -> GoldPiece:
    fields = [
        {"label": "value", "is_recommendation": False},
        {"label": "testimony", "is_recommendation": False},
        {"label": "policy", "is_recommendation": True},
        {"label": "value", "is_recommendation": False},
    ]
    links = [(0, 2, "support"), (1, 0, "support")]
    return _piece("cdcp", CDCP_TEXT, CDCP_PARTS, fields, links=links)


def test_cdcp_recommendations_and_directed_support_links() -> None:
    piece = cdcp()
    spans = [(u.start, u.end) for u in piece.units]
    roles = [Role.PREMISE, Role.EVIDENCE, Role.THESIS, Role.RECOMMENDATION]
    # u1 -> u3 right; u3 -> u2 reversed (wrong); u4 attacks u3 (not a support: ignored).
    amap = _map(piece.text, spans, roles, [(0, 2, S), (2, 1, S), (3, 2, A)], thesis=2)
    result = score_piece(piece, amap)
    assert result.recommendation == [
        ("other", "other"),
        ("other", "other"),
        ("recommendation", "other"),
        ("other", "recommendation"),
    ]
    assert result.gold_edges == [(0, 2), (1, 0)]
    assert result.pred_edges == [(0, 2), (2, 1)]
    assert result.stance == [] and result.thesis is None and result.function == []
    (row,) = summarize_pieces([result], gold_segments=True)
    assert row.recommendation is not None and row.recommendation.f1 == 0.0
    assert row.links is not None and row.links.f1 == pytest.approx(0.5)
    assert row.fu is None and row.at is None


def test_no_thesis_and_no_units() -> None:
    piece = micro()
    result = score_piece(piece, ArgumentMap())
    assert result.thesis is False
    assert [p for _, p in result.stance] == ["proponent"] * 4
    assert result.pred_edges == [] and result.matched == 0
    assert {p for _, p in result.function} == {"none"}


# --- pooling, running, the table ---------------------------------------------------


def test_rows_per_corpus_or_per_source_in_first_seen_order() -> None:
    results = [
        score_piece(editorial("paper-b", "e1"), ArgumentMap()),
        score_piece(micro(), micro_map(micro())),
        score_piece(editorial("paper-a", "e2"), ArgumentMap()),
    ]
    rows = summarize_pieces(results, gold_segments=True)
    assert [(r.group, r.n_pieces) for r in rows] == [("editorials", 2), ("microtexts", 1)]
    assert rows[0].decisions == ["evidence", "evidence_type"]
    by_source = summarize_pieces(results, gold_segments=True, by="source")
    assert [r.group for r in by_source] == ["paper-b", "microtexts", "paper-a"]
    with pytest.raises(InputError, match="nothing to evaluate"):
        summarize_pieces([], gold_segments=True)


def fake_analyze(text: str, *, segments: list[Span] | None = None, **_: Any) -> ArgumentMap:
    """Sentences (or the given segments); the first is the thesis, the rest support it."""
    spans = segments or [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    spans = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans]
    roles = []
    for i, (a, b) in enumerate(spans):
        words = text[a:b]
        roles.append(
            Role.THESIS
            if i == 0
            else Role.RECOMMENDATION
            if "should" in words
            else Role.EVIDENCE
            if "said" in words
            else Role.PREMISE
        )
    types = {i: EvidenceType.TESTIMONY for i, r in enumerate(roles) if r is Role.EVIDENCE}
    return _map(text, spans, roles, [(i, 0, S) for i in range(1, len(spans))], types=types)


def test_evaluate_pieces_passes_gold_segments_and_reports_progress() -> None:
    calls: list[list[Span] | None] = []

    def spy(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        calls.append(segments)
        return fake_analyze(text, segments=segments)

    pieces = [micro(), cdcp()]
    seen: list[tuple[int, int]] = []
    report = evaluate_pieces(
        pieces, gold_segments=True, analyze=spy, progress=lambda d, t: seen.append((d, t))
    )
    assert calls[0] == [(u.start, u.end) for u in pieces[0].units]
    assert seen == [(1, 2), (2, 2)]
    assert report.label == "gold segments" and [r.group for r in report.rows] == [
        "microtexts",
        "cdcp",
    ]
    end = evaluate_pieces(pieces, gold_segments=False, analyze=spy, label="e2e")
    assert calls[-1] is None and end.rows[0].label == "e2e"


def test_evaluate_pieces_errors() -> None:
    def broken(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        raise ModelError("model missing; install it")

    with pytest.raises(ModelError, match="piece microtexts-1: model missing"):
        evaluate_pieces([micro()], gold_segments=True, analyze=broken)
    with pytest.raises(InputError, match="nothing to evaluate"):
        evaluate_pieces([], gold_segments=True, analyze=broken)


def test_cached_analyzer_runs_each_text_once() -> None:
    calls: list[str] = []

    def counting(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        calls.append(text)
        return fake_analyze(text, segments=segments)

    cached = cached_analyzer(counting)
    first = cached(MICRO_TEXT)
    assert cached(MICRO_TEXT) is first
    cached(MICRO_TEXT, segments=[(0, 17)])
    assert len(calls) == 2


def test_format_decisions_blank_where_not_annotated() -> None:
    pieces = [micro(), editorial(), cdcp()]
    reports = [
        evaluate_pieces(pieces, gold_segments=True, analyze=fake_analyze),
        evaluate_pieces(pieces, gold_segments=False, analyze=fake_analyze),
    ]
    table = format_decisions(reports)
    lines = table.splitlines()
    assert lines[0].split() == [
        "corpus", "mode", "pieces", "seg", "thesis", "mc", "stance", "type",
        "evid", "evtype", "recom", "links", "fu", "at",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:7]] == [
        "microtexts", "microtexts", "editorials", "editorials", "cdcp", "cdcp",
    ]  # fmt: skip
    header = lines[0]
    editorial_row = lines[3]
    assert editorial_row[header.index("thesis") : header.index("mc")].strip() == ""
    assert "recommendation F1" in table and "blank:" in table
    document = json.loads(format_decisions_json(reports))
    assert [r["label"] for r in document["decisions"]] == ["gold segments", "end to end"]
    assert "pieces" not in document["decisions"][0]
    full = json.loads(format_decisions_json(reports, details=True))
    assert len(full["decisions"][0]["pieces"]) == 3


# --- the command -----------------------------------------------------------------


def _records() -> dict[str, dict[str, Any]]:
    m = micro()
    ids = [f"a{i + 1}" for i in range(len(m.units))]
    microtext = {
        "id": "m1",
        "text": m.text,
        "adus": [
            {"id": ids[i], "text": u.text, "start": u.start, "end": u.end, "role": u.stance}
            for i, u in enumerate(m.units)
        ],
        "central_claim": "a1",
        "tree": [
            {"src": ids[i], "trg": ids[u.head], "type": "x", "function": u.function}
            for i, u in enumerate(m.units)
            if u.head is not None
        ],
    }
    c = cdcp()
    cdcp_record = {
        "id": "c1",
        "text": c.text,
        "propositions": [
            {"id": f"p{i}", "start": u.start, "end": u.end, "text": u.text, "type": u.label}
            for i, u in enumerate(c.units)
        ],
        "links": [{"src": "p0", "trg": "p2", "type": "reason"}],
    }
    return {"micro.jsonl": microtext, "cdcp.jsonl": cdcp_record}


@pytest.fixture
def corpus_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import argmap.pipeline

    monkeypatch.setattr(argmap.pipeline, "analyze", fake_analyze)
    paths = []
    for name, record in _records().items():
        path = tmp_path / name
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_eval_command_one_table_for_all_files(corpus_files: list[Path]) -> None:
    result = CliRunner().invoke(app, ["eval", *map(str, corpus_files), "--both"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[:2] for line in result.stdout.splitlines()[1:5]]
    assert rows == [
        ["microtexts", "gold"],
        ["microtexts", "end"],
        ["cdcp", "gold"],
        ["cdcp", "end"],
    ]
    assert "P&S 2015" not in result.stdout


def test_eval_command_published_scheme_errors_and_json(corpus_files: list[Path]) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", *map(str, corpus_files), "--published", "--errors", "1"])
    assert result.exit_code == 0, result.output
    assert "published microtexts scheme" in result.stdout
    assert "P&S 2015" in result.stdout and "score" in result.stdout
    result = runner.invoke(app, ["eval", *map(str, corpus_files), "-f", "json", "--published"])
    document = json.loads(result.stdout)
    assert [r["group"] for r in document["decisions"][0]["rows"]] == ["microtexts", "cdcp"]
    assert list(document["published"]) == [str(corpus_files[0])]


def test_eval_command_bad_input(corpus_files: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(corpus_files[0]), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:1: not valid JSON")
    result = CliRunner().invoke(app, ["eval", str(corpus_files[0]), "--ablate", "no_such_rule"])
    assert result.exit_code == 2 and "unknown rule" in result.stderr
