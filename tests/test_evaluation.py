"""Tests for argmap.evaluation: gold loading, alignment, metrics, reports.

Everything runs offline on a hand-written gold fixture with fake analyzers
that return hand-built maps, so each expected score can be checked by hand.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import types
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from argmap.errors import InputError, ModelError
from argmap.evaluation import (
    AnalyzeFn,
    EvalReport,
    GoldText,
    evaluate,
    format_classes,
    format_confusion,
    format_errors,
    format_json,
    format_table,
    load_gold,
    score_text,
    worst_texts,
)
from argmap.evaluation.metrics import (
    ATTACHED,
    NOT_ATTACHED,
    align_spans,
    overlap,
    pair_confusion,
    prf,
    score_confusion,
)
from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit

FIXTURE = Path(__file__).parent / "fixtures" / "eval" / "tiny.jsonl"
Span = tuple[int, int]


@pytest.fixture(scope="module")
def gold() -> list[GoldText]:
    return load_gold(FIXTURE)


def _by_id(gold: list[GoldText], text_id: str) -> GoldText:
    return next(g for g in gold if g.id == text_id)


def _build(
    text: str,
    spans: list[Span],
    thesis: int | None,
    roles: list[Role],
    relations: list[tuple[int, int, RelationKind, float]],
) -> ArgumentMap:
    units = [
        Unit(id=f"u{i + 1}", role=role, text=text[a:b], start=a, end=b, line=1, confidence=0.5)
        for i, ((a, b), role) in enumerate(zip(spans, roles, strict=True))
    ]
    rels = [
        Relation(source=f"u{s + 1}", target=f"u{t + 1}", kind=kind, confidence=conf)
        for s, t, kind, conf in relations
    ]
    return ArgumentMap(
        thesis=None if thesis is None else f"u{thesis + 1}", units=units, relations=rels
    )


def perfect_map(g: GoldText, spans: list[Span] | None = None) -> ArgumentMap:
    """The gold tree as a map; ``spans`` replaces the unit offsets if given."""
    index = {a.id: i for i, a in enumerate(g.adus)}
    roles = [
        Role.THESIS
        if a.id == g.central_claim
        else Role.OBJECTION
        if a.role == "opponent"
        else Role.CLAIM
        for a in g.adus
    ]
    rels = [(index[e.src], index[e.trg], RelationKind(e.function), 0.9) for e in g.tree]
    return _build(
        g.text, spans or [(a.start, a.end) for a in g.adus], index[g.central_claim], roles, rels
    )


def first_is_thesis_map(g: GoldText) -> ArgumentMap:
    """Baseline: the first ADU is the thesis and every other ADU supports it."""
    n = len(g.adus)
    roles = [Role.THESIS] + [Role.PREMISE] * (n - 1)
    rels = [(i, 0, RelationKind.SUPPORT, 0.5) for i in range(1, n)]
    return _build(g.text, [(a.start, a.end) for a in g.adus], 0, roles, rels)


def fake(
    make: Callable[[GoldText], ArgumentMap],
    gold: list[GoldText],
    calls: list[object] | None = None,
) -> AnalyzeFn:
    """An analyze() stand-in that looks the text up in the gold fixture."""
    by_text = {g.text: g for g in gold}

    def analyze(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        if calls is not None:
            calls.append(segments)
        return make(by_text[text])

    return analyze


def _scores(report: EvalReport) -> dict[str, float]:
    return {name: m.macro_f1 for name, m in report.metrics.items()}


# --- gold loading ---------------------------------------------------------------


def test_load_gold_reads_fixture(gold: list[GoldText]) -> None:
    assert [g.id for g in gold] == ["fx_bikes", "fx_homework", "fx_library"]
    homework = gold[1]
    assert homework.central_claim == "a2"
    head = homework.head("a1")
    assert head is not None
    assert (head.trg, head.function) == ("a2", "attack")
    assert homework.head("a2") is None
    for a in homework.adus:
        assert homework.text[a.start : a.end] == a.text


def _good_line() -> dict[str, object]:
    return json.loads(FIXTURE.read_text(encoding="utf-8").splitlines()[1])  # type: ignore[no-any-return]


def _broken(change: str) -> str:
    data = _good_line()
    adus = data["adus"]
    assert isinstance(adus, list)
    if change == "missing field":
        del data["adus"]
    elif change == "bad cc":
        data["central_claim"] = "a9"
    elif change == "offsets":
        adus[0]["start"] += 1
    elif change == "no head":
        data["tree"] = []
    elif change == "bad role":
        adus[0]["role"] = "neutral"
    return json.dumps(data)


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        ('{"id": "x", "text": ', "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (_broken("missing field"), "adus"),
        (_broken("bad cc"), "central_claim 'a9' is not an ADU"),
        (_broken("offsets"), "does not match text[start:end]"),
        (_broken("no head"), "no head for ADU(s) a1, a3"),
        (_broken("bad role"), "role"),
        (json.dumps(_good_line()), "already used on line 1"),
    ],
)
def test_load_gold_names_the_bad_line(tmp_path: Path, second_line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    # Line 2 is blank and skipped, but still counted: the bad line is line 3.
    path.write_text(json.dumps(_good_line()) + "\n\n" + second_line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert "line 3" in str(info.value)
    assert message in str(info.value)


def test_load_gold_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read gold file"):
        load_gold(tmp_path / "absent.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no texts"):
        load_gold(empty)


# --- pure metrics ---------------------------------------------------------------


def test_prf_and_zero_division() -> None:
    assert prf(2, 3, 4) == pytest.approx((2 / 3, 1 / 2, 4 / 7))
    assert prf(0, 0, 5) == (0.0, 0.0, 0.0)


def test_score_confusion_skips_classes_absent_everywhere() -> None:
    # gold a,a,b; predicted a,b,b. Class c never occurs and is left out.
    confusion = {("a", "a"): 1, ("a", "b"): 1, ("b", "b"): 1}
    score = score_confusion(confusion, ["a", "b", "c"])
    # a: P 1/1 R 1/2 F1 2/3; b: P 1/2 R 1/1 F1 2/3 -> macro 2/3
    assert score.macro_f1 == pytest.approx(2 / 3)
    assert score.accuracy == pytest.approx(2 / 3)
    assert score.classes["c"].gold == score.classes["c"].predicted == 0


def test_pair_confusion_counts_without_listing_pairs() -> None:
    counts = pair_confusion(4, [("a", "b"), ("c", "b")], [("a", "b"), ("b", "d"), ("d", "a")])
    assert counts[(ATTACHED, ATTACHED)] == 1
    assert counts[(ATTACHED, NOT_ATTACHED)] == 1
    assert counts[(NOT_ATTACHED, ATTACHED)] == 2
    assert counts[(NOT_ATTACHED, NOT_ATTACHED)] == 12 - 4
    with pytest.raises(ValueError, match="more edges"):
        pair_confusion(2, [("a", "b"), ("b", "a"), ("a", "c")], [])


# --- alignment ------------------------------------------------------------------


def test_overlap() -> None:
    assert overlap((0, 10), (5, 20)) == 5
    assert overlap((0, 10), (10, 20)) == 0


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ([(0, 10), (10, 20)], {0: 0, 1: 1}),  # exact
        ([(2, 12), (12, 21)], {0: 0, 1: 1}),  # off by some characters
        ([(0, 20)], {0: 0}),  # merge of two equal ADUs: half of the unit each
        ([(0, 4), (4, 20)], {1: 1}),  # fragment too small; merged rest covers ADU 1
        ([(0, 5), (5, 10), (10, 20)], {0: 0, 1: 2}),  # split in halves: one wins
        ([(3, 8)], {0: 0}),  # exactly half of the ADU is enough
        ([(3, 7)], {}),  # less than half of the ADU
    ],
)
def test_align_spans_half_coverage_both_ways(
    predicted: list[Span], expected: dict[int, int]
) -> None:
    assert align_spans([(0, 10), (10, 20)], predicted) == expected


def test_align_spans_rejects_unit_mostly_outside_the_adu() -> None:
    # ADU 0 is fully covered, but it is only 10 of the unit's 30 characters.
    assert align_spans([(0, 10), (10, 40)], [(0, 30)]) == {1: 0}
    assert align_spans([(0, 10)], [(0, 30)]) == {}


def _brute_align(gold: list[Span], pred: list[Span]) -> dict[int, int]:
    candidates = sorted(
        (-overlap(g, p), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if overlap(g, p) > 0
        and 2 * overlap(g, p) >= g[1] - g[0]
        and 2 * overlap(g, p) >= p[1] - p[0]
    )
    pairs: dict[int, int] = {}
    for _, gi, pi in candidates:
        if gi not in pairs and pi not in pairs.values():
            pairs[gi] = pi
    return pairs


def _random_segmentation(rng: random.Random, length: int) -> list[Span]:
    cuts = sorted(rng.sample(range(1, length), rng.randint(1, 12)))
    bounds = [0, *cuts, length]
    return list(itertools.pairwise(bounds))


def test_align_spans_window_matches_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(300):
        gold = _random_segmentation(rng, 200)
        pred = _random_segmentation(rng, 200)
        # Overlapping, unordered units too: the window must not rely on order.
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(0, 199)
            pred.append((start, rng.randint(start + 1, 200)))
        rng.shuffle(pred)
        assert align_spans(gold, pred) == _brute_align(gold, pred)


# --- evaluate -------------------------------------------------------------------


@pytest.mark.parametrize("gold_segments", [True, False])
def test_perfect_predictor_scores_one(gold: list[GoldText], gold_segments: bool) -> None:
    calls: list[object] = []
    report = evaluate(
        gold,
        gold_segments=gold_segments,
        analyze=fake(perfect_map, gold, calls),
    )
    assert _scores(report) == {"cc": 1.0, "ro": 1.0, "fu": 1.0, "at": 1.0}
    assert report.thesis_accuracy == 1.0
    assert report.segmentation.f1 == 1.0
    assert report.label == ("gold segments" if gold_segments else "end to end")
    assert (report.n_texts, report.n_adus, report.n_units) == (3, 12, 12)
    if gold_segments:
        assert calls[0] == [(a.start, a.end) for a in gold[0].adus]
    else:
        assert calls == [None, None, None]
    assert report.confusion["cc"]["thesis"] == 3
    assert report.confusion["opponent attack"]["objection"] == 3
    assert report.confusion["proponent attack"]["claim"] == 2


def test_first_is_thesis_baseline_hand_computed(gold: list[GoldText]) -> None:
    report = evaluate(gold, gold_segments=True, analyze=fake(first_is_thesis_map, gold))
    # Gold over the 12 ADUs: cc = bikes a1, homework a2, library a1; opponents =
    # bikes a3, homework a1, library a4. The baseline predicts a1 as cc everywhere.
    # cc: class cc tp 2 fp 1 fn 1 -> F1 2/3; not cc tp 8 fp 1 fn 1 -> F1 8/9;
    #     macro = (2/3 + 8/9) / 2 = 7/9.
    # ro: proponent tp 9 fp 3 fn 0 -> F1 18/21 = 6/7; opponent never predicted -> 0;
    #     macro = 3/7.
    # fu: cc 2/3 as above; support gold 4, predicted 9, tp 4 -> F1 8/13; attack 0;
    #     macro = (2/3 + 8/13 + 0) / 3 = 50/117.
    # at: pooled tp 4 fp 5 fn 5 tn 24 (12 + 6 + 20 pairs);
    #     attached F1 8/18 = 4/9, not attached F1 48/58 = 24/29; macro = 166/261.
    expected = {
        "cc": Fraction(7, 9),
        "ro": Fraction(3, 7),
        "fu": Fraction(50, 117),
        "at": Fraction(166, 261),
    }
    for name, value in expected.items():
        assert report.metrics[name].macro_f1 == pytest.approx(float(value)), name
    assert report.metrics["fu"].classes["support"].precision == pytest.approx(4 / 9)
    assert report.metrics["ro"].classes["opponent"].predicted == 0
    assert report.thesis_accuracy == pytest.approx(2 / 3)

    # Per-text score = mean of cc/fu/at accuracy. homework: (1/3 + 1/3 + 2/6) / 3;
    # bikes: (1 + 2/4 + 10/12) / 3 = 0.78; library: (1 + 3/5 + 16/20) / 3 = 0.8.
    worst = worst_texts(report, 2)
    assert [t.id for t in worst] == ["fx_homework", "fx_bikes"]
    assert worst[0].score == pytest.approx(1 / 3)
    assert worst[1].score == pytest.approx(7 / 9)
    assert worst_texts(report, 0) == []


def test_off_by_some_segments_still_align(gold: list[GoldText]) -> None:
    def shifted(g: GoldText) -> ArgumentMap:
        spans = [(a.start + 3, min(a.end + 3, len(g.text))) for a in g.adus]
        return perfect_map(g, spans)

    report = evaluate(gold, gold_segments=False, analyze=fake(shifted, gold))
    assert _scores(report) == {"cc": 1.0, "ro": 1.0, "fu": 1.0, "at": 1.0}
    assert report.segmentation.f1 == 1.0


def test_extra_fragment_lowers_segmentation_precision_only(gold: list[GoldText]) -> None:
    def split_first(g: GoldText) -> ArgumentMap:
        m = perfect_map(g)
        a = g.adus[0]
        cut = a.start + (a.end - a.start) * 7 // 10  # 70 % stays aligned, 30 % is extra
        first, *rest = m.units
        units = [
            first.model_copy(update={"end": cut}),
            *rest,
            Unit(
                id="u99", role=Role.PREMISE, text="", start=cut, end=a.end, line=1, confidence=0.1
            ),
        ]
        return m.model_copy(update={"units": units})

    report = evaluate(gold, gold_segments=False, analyze=fake(split_first, gold))
    seg = report.segmentation
    # gold 12, predicted 15, matched 12: P 12/15, R 1, F1 24/27.
    assert (seg.gold, seg.predicted, seg.matched) == (12, 15, 12)
    assert (seg.precision, seg.recall, seg.f1) == pytest.approx((0.8, 1.0, 8 / 9))
    assert _scores(report)["at"] == 1.0
    assert [u.id for u in report.texts[0].extra_units] == ["u99"]


def test_unaligned_adu_counts_as_wrong_everywhere(gold: list[GoldText]) -> None:
    homework = [_by_id(gold, "fx_homework")]

    def shrink_last(g: GoldText) -> ArgumentMap:
        spans = [(a.start, a.end) for a in g.adus]
        a, b = spans[2]
        spans[2] = (a, a + (b - a) * 4 // 10)  # covers 40 % of the ADU: unaligned
        return perfect_map(g, spans)

    report = evaluate(homework, gold_segments=False, analyze=fake(shrink_last, homework))
    text = report.texts[0]
    a3 = text.adus[2]
    assert (a3.unit, a3.pred_cc, a3.pred_ro, a3.pred_fu) == (None, "not cc", "proponent", "none")
    assert [u.id for u in text.extra_units] == ["u3"]
    # fu: a3's gold support is predicted "none": cc 1, support 0 (gold 1, pred 0),
    #     attack 1 -> macro 2/3.
    # at: 6 pairs; gold a1->a2, a3->a2; u3->u2 is dropped (u3 unaligned): tp 1 fn 1 tn 4,
    #     attached F1 2/3, not attached 8/9 -> macro 7/9.
    assert _scores(report) == pytest.approx({"cc": 1.0, "ro": 1.0, "fu": 2 / 3, "at": 7 / 9})
    assert report.segmentation.precision == pytest.approx(2 / 3)
    assert report.confusion["proponent support"]["unaligned"] == 1
    shown = format_errors(report.texts)
    assert "(no unit)" in shown
    assert "extra unit u3" in shown
    assert "missed a3->a2" in shown


def test_most_confident_relation_gives_the_function(gold: list[GoldText]) -> None:
    g = _by_id(gold, "fx_homework")
    spans = [(a.start, a.end) for a in g.adus]
    roles = [Role.PREMISE, Role.THESIS, Role.PREMISE]
    rels = [
        (0, 1, RelationKind.SUPPORT, 0.4),
        (0, 2, RelationKind.ATTACK, 0.9),
        (2, 1, RelationKind.SUPPORT, 0.6),
    ]
    result = score_text(g, _build(g.text, spans, 1, roles, rels))
    a1 = result.adus[0]
    assert (a1.pred_fu, a1.pred_target) == ("attack", "a3")
    # Every relation counts for attachment, not only the most confident one.
    assert result.pred_edges == [("a1", "a2"), ("a1", "a3"), ("a3", "a2")]


def test_map_without_thesis(gold: list[GoldText]) -> None:
    g = _by_id(gold, "fx_bikes")
    result = score_text(
        g, _build(g.text, [(a.start, a.end) for a in g.adus], None, [Role.CLAIM] * 4, [])
    )
    assert not result.thesis_correct
    assert {a.pred_fu for a in result.adus} == {"none"}
    assert "(no relation)" in format_errors([result])


def test_progress_and_label(gold: list[GoldText]) -> None:
    seen: list[tuple[int, int]] = []
    report = evaluate(
        gold,
        gold_segments=True,
        analyze=fake(perfect_map, gold),
        progress=lambda done, total: seen.append((done, total)),
        label="no-cues",
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert report.label == "no-cues"


def test_analyzer_errors_name_the_text(gold: list[GoldText]) -> None:
    def broken(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        raise ModelError("model missing; install it")

    with pytest.raises(ModelError, match="text fx_bikes: model missing"):
        evaluate(gold, gold_segments=True, analyze=broken)
    with pytest.raises(InputError, match="nothing to evaluate"):
        evaluate([], gold_segments=True, analyze=broken)


def test_default_analyzer_is_imported_lazily(
    gold: list[GoldText], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("argmap.pipeline")
    module.analyze = fake(perfect_map, gold)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "argmap.pipeline", module)
    report = evaluate(gold, gold_segments=True)
    assert report.metrics["cc"].macro_f1 == 1.0


# --- reports --------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(gold: list[GoldText]) -> list[EvalReport]:
    return [
        evaluate(gold, gold_segments=True, analyze=fake(first_is_thesis_map, gold)),
        evaluate(gold, gold_segments=False, analyze=fake(perfect_map, gold)),
    ]


def test_format_table(reports: list[EvalReport]) -> None:
    table = format_table(reports)
    header, *rows = table.splitlines()
    assert header.split() == [
        "metric",
        "gold",
        "segments",
        "end",
        "to",
        "end",
        "P&S",
        "2015*",
        "naive",
        "baseline*",
    ]
    by_name = {
        r.rsplit(maxsplit=4)[0]: r.rsplit(maxsplit=4)[1:] for r in rows if not r.startswith("*")
    }
    assert by_name["cc macro F1"] == ["0.778", "1.000", "0.860", "0.830"]
    assert by_name["at macro F1"] == ["0.636", "1.000", "0.710", "0.680"]
    assert by_name["seg F1"][2:] == ["-", "-"]
    assert "Peldszus & Stede 2015" in table


def test_format_json_round_trips(reports: list[EvalReport]) -> None:
    document = json.loads(format_json(reports))
    assert [r["label"] for r in document["reports"]] == ["gold segments", "end to end"]
    assert document["references"]["P&S 2015"]["macro_f1"]["fu"] == 0.76
    assert EvalReport.model_validate(document["reports"][0]) == reports[0]
    brief = json.loads(format_json(reports, details=False))
    assert "texts" not in brief["reports"][0]


def test_format_errors_side_by_side(reports: list[EvalReport]) -> None:
    shown = format_errors(worst_texts(reports[0], 1), width=20)
    lines = shown.splitlines()
    assert lines[0].startswith("fx_homework  score 0.33")
    assert "thesis wrong" in lines[0]
    a1 = next(line for line in lines if line.strip().startswith("a1"))
    assert "opp attack -> a2" in a1
    assert "u1 thesis [thesis]" in a1
    assert a1.rstrip().endswith("cc,ro,fu,at")
    assert "..." in a1  # text shortened to the width


def test_format_classes_and_confusion(reports: list[EvalReport]) -> None:
    classes = format_classes(reports[0])
    assert "not attached" in classes
    confusion = format_confusion(reports[0])
    assert confusion.splitlines()[2].split()[:3] == ["cc", "2", "0"]


def test_a_thesis_that_calls_for_action_scores_as_a_recommendation(tmp_path: Path) -> None:
    """CDCP's policy propositions are what the map flags ``calls_for_action``: a
    recommendation, or a thesis or claim that recommends (as ``--crossval`` scores it)."""
    from argmap.evaluation import load_corpus, score_piece

    text = "The park should open at dawn. Joggers like the cool air. Parking is free."
    spans = [(0, 29), (30, 55), (56, 72)]
    record = {
        "id": "c1",
        "text": text,
        "propositions": [
            {"id": f"p{i}", "start": a, "end": b, "text": text[a:b], "type": kind}
            for i, ((a, b), kind) in enumerate(zip(spans, ["policy", "value", "fact"], strict=True))
        ],
        "links": [{"src": "p1", "trg": "p0", "type": "reason"}],
    }
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (piece,) = load_corpus(path)
    amap = _build(text, spans, 0, [Role.THESIS, Role.PREMISE, Role.RECOMMENDATION], [])
    amap = amap.model_copy(
        update={
            "units": [amap.units[0].model_copy(update={"calls_for_action": True}), *amap.units[1:]]
        }
    )
    result = score_piece(piece, amap)
    assert result.recommendation == [
        ("recommendation", "recommendation"),
        ("other", "other"),
        ("other", "recommendation"),
    ]
