"""Tests for argmap.evaluation.corpora: one tiny invented record per format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import InputError
from argmap.evaluation.corpora import GoldPiece, load_corpus, paragraph_index


def _spans(text: str, parts: list[str]) -> list[tuple[int, int]]:
    spans = []
    for part in parts:
        start = text.index(part)
        spans.append((start, start + len(part)))
    return spans


def _microtext() -> dict[str, Any]:
    text = "Parks need more benches. Old people rest there. But benches cost money."
    parts = ["Parks need more benches.", "Old people rest there.", "But benches cost money."]
    spans = _spans(text, parts)
    roles = ["proponent", "proponent", "opponent"]
    adus = [
        {"id": f"a{i + 1}", "text": p, "start": s, "end": e, "role": r}
        for i, (p, (s, e), r) in enumerate(zip(parts, spans, roles, strict=True))
    ]
    return {
        "id": "m1",
        "text": text,
        "adus": adus,
        "central_claim": "a1",
        "tree": [
            {"src": "a2", "trg": "a1", "type": "support", "function": "support"},
            {"src": "a3", "trg": "a1", "type": "rebut", "function": "attack"},
        ],
    }


def _essay() -> dict[str, Any]:
    text = (
        "Are bikes better?\n\n"
        "Bikes beat cars in town. I think so.\n"
        "They are cheap. A bike costs little.\n"
        "So bikes win."
    )
    parts = ["Bikes beat cars in town.", "They are cheap.", "A bike costs little.", "So bikes win."]
    types = ["major_claim", "claim", "premise", "major_claim"]
    adus = [
        {"id": f"T{i + 1}", "text": p, "start": s, "end": e, "role": "proponent", "type": t}
        for i, (p, (s, e), t) in enumerate(zip(parts, _spans(text, parts), types, strict=True))
    ]
    return {
        "id": "essay900",
        "corpus": "aae2",
        "title": "Are bikes better?",
        "text": text,
        "adus": adus,
        "central_claim": "T1",
        "tree": [
            {"src": "T2", "trg": "T1", "type": "stance_for", "function": "support"},
            {"src": "T3", "trg": "T2", "type": "supports", "function": "support"},
            {"src": "T4", "trg": "T1", "type": "restatement", "function": "support"},
        ],
    }


def _editorial() -> dict[str, Any]:
    text = "Rain is good\n\nWe need rain. Farmers said so, and 9 of 10 agree."
    parts = [
        ("Rain is good", "title", 0),
        ("We need rain.", "assumption", 1),
        ("Farmers said so,", "testimony", 1),
        ("and", "no-unit", 1),
        ("9 of 10 agree.", "statistics", 1),
    ]
    units = [
        {"start": s, "end": e, "text": p, "label": label, "number": i + 1, "paragraph": par}
        for i, ((p, label, par), (s, e)) in enumerate(
            zip(parts, _spans(text, [p for p, _, _ in parts]), strict=True)
        )
    ]
    return {"id": "guardian/900", "source": "guardian", "text": text, "units": units}


def _cdcp() -> dict[str, Any]:
    text = "Fees are too high. I paid twice. The agency should cap them."
    parts = ["Fees are too high.", "I paid twice.", "The agency should cap them."]
    types = ["value", "testimony", "policy"]
    props = [
        {"id": f"p{i}", "start": s, "end": e, "text": p, "type": t}
        for i, (p, (s, e), t) in enumerate(zip(parts, _spans(text, parts), types, strict=True))
    ]
    links = [
        {"src": "p0", "trg": "p2", "type": "reason"},
        {"src": "p1", "trg": "p0", "type": "evidence"},
        {"src": "p1", "trg": "p2", "type": "reason"},
    ]
    return {"id": "cdcp_900", "split": "train", "text": text, "propositions": props, "links": links}


def _write(tmp_path: Path, *records: dict[str, Any] | str) -> Path:
    path = tmp_path / "corpus.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one(tmp_path: Path, record: dict[str, Any]) -> GoldPiece:
    (piece,) = load_corpus(_write(tmp_path, record))
    return piece


def test_paragraph_index_reads_blank_lines_and_single_newlines() -> None:
    assert paragraph_index("a b") == []
    assert paragraph_index("a\n\nb\nc") == [3, 5]
    assert paragraph_index("a\n \nb") == [4]
    assert paragraph_index("\n\na") == []


def test_microtexts(tmp_path: Path) -> None:
    piece = _one(tmp_path, _microtext())
    assert piece.corpus == "microtexts" and piece.source == "microtexts"
    assert piece.decisions == {"thesis", "stance", "attachment"}
    assert [u.is_thesis for u in piece.units] == [True, False, False]
    assert [u.stance for u in piece.units] == ["proponent", "proponent", "opponent"]
    assert [(u.head, u.function) for u in piece.units] == [
        (None, None),
        (0, "support"),
        (0, "attack"),
    ]
    assert piece.links == [(1, 0, "support"), (2, 0, "attack")]
    assert piece.title is None
    assert {u.paragraph for u in piece.units} == {0}
    assert all(u.label is None and u.is_evidence is None for u in piece.units)


def test_essays(tmp_path: Path) -> None:
    piece = _one(tmp_path, _essay())
    assert piece.corpus == "essays"
    assert piece.decisions == {"thesis", "stance", "unit_type", "attachment"}
    assert [u.label for u in piece.units] == ["major_claim", "claim", "premise", "major_claim"]
    assert [u.is_thesis for u in piece.units] == [True, False, False, False]
    assert [u.paragraph for u in piece.units] == [1, 2, 2, 3]
    assert [u.head for u in piece.units] == [None, 0, 1, 0]
    assert piece.title == (0, len("Are bikes better?"))


def test_editorials(tmp_path: Path) -> None:
    piece = _one(tmp_path, _editorial())
    assert piece.corpus == "editorials" and piece.source == "guardian"
    assert piece.decisions == {"evidence", "evidence_type"}
    assert [u.label for u in piece.units] == ["assumption", "testimony", "statistics"]
    assert [u.is_evidence for u in piece.units] == [False, True, True]
    assert [u.evidence_type for u in piece.units] == [None, "testimony", "statistic"]
    assert [u.paragraph for u in piece.units] == [1, 1, 1]
    assert piece.title == (0, len("Rain is good"))
    assert all(u.is_thesis is None and u.head is None for u in piece.units)


def test_cdcp(tmp_path: Path) -> None:
    piece = _one(tmp_path, _cdcp())
    assert piece.corpus == "cdcp" and piece.source == "cdcp"
    assert piece.decisions == {"recommendation", "attachment"}
    assert [u.is_recommendation for u in piece.units] == [False, False, True]
    assert [u.label for u in piece.units] == ["value", "testimony", "policy"]
    assert piece.links == [(0, 2, "support"), (1, 0, "support"), (1, 2, "support")]
    assert all(u.head is None for u in piece.units)


def test_units_come_out_in_text_order(tmp_path: Path) -> None:
    record = _cdcp()
    record["propositions"].reverse()
    piece = _one(tmp_path, record)
    assert [u.start for u in piece.units] == sorted(u.start for u in piece.units)
    assert piece.links == [(0, 2, "support"), (1, 0, "support"), (1, 2, "support")]


def test_several_lines_load_in_order(tmp_path: Path) -> None:
    second = _cdcp()
    second["id"] = "cdcp_901"
    pieces = load_corpus(_write(tmp_path, _cdcp(), "", second))
    assert [p.id for p in pieces] == ["cdcp_900", "cdcp_901"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "x", "text": "t"}', "unknown record format"),
    ],
)
def test_bad_line_is_reported_with_file_and_line(tmp_path: Path, bad: str, message: str) -> None:
    path = _write(tmp_path, _cdcp(), bad)
    with pytest.raises(InputError, match=message) as info:
        load_corpus(path)
    assert f"{path}:2:" in str(info.value)


def _broken_span(record: dict[str, Any]) -> None:
    record["propositions"][0]["end"] += 1


def _unknown_link_end(record: dict[str, Any]) -> None:
    record["links"].append({"src": "p0", "trg": "p9", "type": "reason"})


def _unknown_type(record: dict[str, Any]) -> None:
    record["propositions"][0]["type"] = "wish"


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_broken_span, "text does not match"),
        (_unknown_link_end, "'p9' is not a proposition"),
        (_unknown_type, "unknown type 'wish'"),
    ],
)
def test_broken_cdcp_record(tmp_path: Path, corrupt: Any, message: str) -> None:
    record = _cdcp()
    corrupt(record)
    with pytest.raises(InputError, match=message):
        load_corpus(_write(tmp_path, record))


def test_broken_records_of_other_formats(tmp_path: Path) -> None:
    essay = _essay()
    essay["adus"][1]["type"] = "opinion"
    with pytest.raises(InputError, match="not major_claim/claim/premise"):
        load_corpus(_write(tmp_path, essay))
    editorial = _editorial()
    editorial["units"][1]["label"] = "rumour"
    with pytest.raises(InputError, match="unknown label 'rumour'"):
        load_corpus(_write(tmp_path, editorial))
    micro = _microtext()
    micro["tree"].pop()
    with pytest.raises(InputError, match="no head for ADU"):
        load_corpus(_write(tmp_path, micro))


def test_mixed_formats_and_repeated_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r":2: a microtexts record, but line 1 is cdcp"):
        load_corpus(_write(tmp_path, _cdcp(), _microtext()))
    with pytest.raises(InputError, match="already used on line 1"):
        load_corpus(_write(tmp_path, _cdcp(), _cdcp()))


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no pieces"):
        load_corpus(_write(tmp_path, ""))
    with pytest.raises(InputError, match="cannot read"):
        load_corpus(tmp_path / "missing.jsonl")
