"""Decoding the map: rejected views, the attachment tree, the thesis and evidence guards.

The behaviour the learned scorers rely on, checked on short invented sentences
and on scorers written by hand, so that each number can be worked out on paper:
a view labelled false is an objection and never the thesis; heads are chosen
as one tree rooted at the thesis, with each unit's runner-up kept; the thesis
prefers its opening statement; sourced evidence stays evidence; every feature
the shipped weights name reads as words.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import TYPE_CHECKING

import pytest

import argmap
from argmap import render
from argmap.classify import Classified, classify_units
from argmap.cues import extract_features
from argmap.features import FEATURE_VERSION, UnitFeatures, describe_feature
from argmap.features.pairs import PairFeatures
from argmap.link import Link, link_units
from argmap.model import CueKind, EvidenceType, RelationKind, Role
from argmap.nlp import load_model
from argmap.reader import parse_text
from argmap.scoring import LinearScorer, Weights, decide_units
from argmap.scoring.apply import relink
from argmap.scoring.attach import Attachment, choose_heads
from argmap.scoring.decide import OPENING_MARGIN, SOURCED_EVIDENCE, _opening_statement
from argmap.segment import segment_units
from argmap.thesis import choose_thesis

if TYPE_CHECKING:
    from spacy.language import Language

Rules = list[tuple[Role, EvidenceType | None]]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def weights(**scorers: LinearScorer) -> Weights:
    return Weights(feature_version=FEATURE_VERSION, scorers=scorers)


def by_value(feature: str = "s", bias: float = 0.0) -> LinearScorer:
    """A binary scorer whose log-odds is ``bias`` plus the value of one feature."""
    return LinearScorer(
        kind="binary", classes=["yes"], bias={"yes": bias}, weights={"yes": {feature: 1.0}}
    )


# --- 1. views labelled false, and list numbers ----------------------------------------------


def cues_of(nlp: Language, sentence: str) -> tuple[str | None, str | None]:
    features = extract_features(list(nlp(sentence)))
    return features.opponent_view, features.statistic


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Myth #1: Bigger roads always cure traffic.", "myth"),
        ("The myth that cycling is dangerous persists.", "the myth"),
    ],
)
def test_a_view_labelled_false_is_an_opponent_view(
    nlp: Language, sentence: str, label: str
) -> None:
    view, statistic = cues_of(nlp, sentence)
    assert view == label
    assert statistic is None  # "#1" numbers the myth; it is not a figure


def test_a_list_number_is_not_a_figure_but_a_percentage_is(nlp: Language) -> None:
    assert cues_of(nlp, "Step 2 is to repaint the lanes.") == (None, None)
    assert cues_of(nlp, "Rents rose 12 percent last year.")[1] == "12"


def test_a_plain_mention_of_a_myth_is_no_opponent_view(nlp: Language) -> None:
    """The label must introduce the view (a colon, "that"), not merely appear."""
    assert cues_of(nlp, "Old myths make good bedtime stories.")[0] is None


MYTH_PIECE = (
    "Myth #1: Towns must widen their roads to end traffic jams.\n\n"
    "In fact, wider roads fill with new cars within a few years.\n\n"
    "Lanes for buses and bikes move more people in the same space."
)


def test_a_myth_is_an_objection_and_never_the_thesis() -> None:
    m = argmap.analyze(MYTH_PIECE)
    myth = m.units[0]
    assert myth.text.startswith("Myth #1:")
    assert myth.role is Role.OBJECTION
    assert m.thesis is not None and m.thesis != myth.id
    assert any(c.kind is CueKind.OPPONENT_VIEW for c in myth.cues)


# --- 2. choose_heads: one tree, surest links first -------------------------------------------


def row(p: float) -> PairFeatures:
    """A pair whose attachment probability under ``ATTACH`` is ``p``."""
    return {"s": logit(p)}


ATTACH = by_value()


def heads(attachments: list[Attachment]) -> dict[int, int]:
    return {a.source: a.target for a in attachments}


def assert_tree(attachments: list[Attachment], size: int, thesis: int) -> None:
    """Every unit but the thesis has exactly one head, and every chain ends at the thesis."""
    sources = [a.source for a in attachments]
    assert sorted(sources) == [i for i in range(size) if i != thesis]
    up = heads(attachments)
    for start in up:
        seen, node = set(), start
        while node != thesis:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = up[node]


def test_the_surest_pairs_win_and_a_cycle_is_never_closed() -> None:
    """1 -> 2 (0.9) and 2 -> 1 (0.8), the two best pairs, form a cycle: 2 goes to the thesis."""
    pairs = [
        [(1, row(0.99))],  # the thesis's own candidates are never used
        [(0, row(0.3)), (2, row(0.9))],
        [(0, row(0.2)), (1, row(0.8))],
    ]
    out = choose_heads(pairs, 0, ATTACH, None)
    assert_tree(out, 3, 0)
    assert heads(out) == {1: 2, 2: 0}
    first, second = out
    assert first.probability == pytest.approx(0.9) and second.probability == pytest.approx(0.2)
    assert first.runner_up == (0, pytest.approx(0.3))
    assert second.runner_up == (1, pytest.approx(0.8))
    assert first.contributions == (("s", pytest.approx(logit(0.9))),)
    assert not first.attack and first.attack_probability == 0.0


def test_a_longer_cycle_is_broken_at_its_weakest_pair() -> None:
    pairs = [
        [],
        [(0, row(0.1)), (2, row(0.9))],
        [(0, row(0.1)), (3, row(0.85))],
        [(0, row(0.4)), (1, row(0.8))],
    ]
    out = choose_heads(pairs, 0, ATTACH, None)
    assert_tree(out, 4, 0)
    assert heads(out) == {1: 2, 2: 3, 3: 0}
    assert out[2].runner_up == (1, pytest.approx(0.8))


def test_a_unit_takes_its_best_head_even_when_the_thesis_is_later() -> None:
    pairs = [
        [(1, row(0.7)), (2, row(0.6))],
        [(0, row(0.4)), (2, row(0.55))],
        [],
    ]
    out = choose_heads(pairs, 2, ATTACH, None)
    assert_tree(out, 3, 2)
    assert heads(out) == {0: 1, 1: 2}
    assert out[0].runner_up == (2, pytest.approx(0.6))
    assert out[1].runner_up == (0, pytest.approx(0.4))


def test_runner_up_ties_go_to_the_earlier_unit() -> None:
    pairs = [[], [(0, row(0.2)), (2, row(0.2)), (3, row(0.9))], [], []]
    out = choose_heads(pairs, 0, ATTACH, None)
    assert heads(out)[1] == 3
    assert out[0].runner_up == (0, pytest.approx(0.2))


def test_a_unit_without_candidates_hangs_on_the_thesis_with_probability_zero() -> None:
    pairs = [[], [(0, row(0.6))], []]
    attack = by_value("s", bias=10.0)  # would call every scored pair an attack
    out = choose_heads(pairs, 0, ATTACH, attack)
    assert_tree(out, 3, 0)
    lonely = out[1]
    assert (lonely.source, lonely.target) == (2, 0)
    assert lonely.probability == 0.0
    assert lonely.runner_up is None and lonely.contributions == ()
    assert not lonely.attack and lonely.attack_probability == 0.0
    assert out[0].attack  # the scored pair did go through the attack scorer


def test_a_unit_whose_only_candidate_would_close_a_cycle_hangs_on_the_thesis() -> None:
    pairs = [[], [(2, row(0.9))], [(1, row(0.8))]]
    out = choose_heads(pairs, 0, ATTACH, None)
    assert_tree(out, 3, 0)
    assert heads(out) == {1: 2, 2: 0}
    assert out[1].probability == 0.0 and out[1].runner_up == (1, pytest.approx(0.8))


# --- 3. relink: the scorer's tree on real units ---------------------------------------------

LINK_PIECE = (
    "Our town should light its bike paths at night.\n\n"
    "Riders feel unsafe in the dark, because the paths are empty after six. "
    "Critics say lamps waste power. But solar lamps need no cables.\n\n"
    "The council should fund the lamps this year."
)
PAIR_WEIGHTS = {
    "same_paragraph": 1.0,
    "distance:previous": 1.0,
    "target:thesis": 0.5,
    "rule_link": 2.0,
}
PAIR_SCORER = LinearScorer(
    kind="binary", classes=["yes"], bias={"yes": -2.0}, weights={"yes": PAIR_WEIGHTS}
)


def rule_reading(nlp: Language, text: str) -> tuple[list[Classified], int, list[Link]]:
    """The rules' units, thesis and links for ``text``, as the pipeline makes them."""
    source = parse_text(text)
    segments = segment_units(source, [nlp(source.clean[b.start : b.end]) for b in source.blocks])
    units = classify_units(segments, [extract_features(s.tokens) for s in segments])
    chosen = choose_thesis(units)
    assert chosen is not None
    return units, chosen.index, link_units(units, chosen.index)


def test_relink_without_an_attachment_scorer_keeps_the_rules_links(nlp: Language) -> None:
    units, thesis, links = rule_reading(nlp, LINK_PIECE)
    assert relink(units, thesis, links, weights=weights()) == links
    others = weights(thesis=by_value(), evidence=by_value())
    assert relink(units, thesis, links, weights=others) == links


def test_relink_with_an_attachment_scorer_gives_its_tree_and_reasons(nlp: Language) -> None:
    units, thesis, rule_links = rule_reading(nlp, LINK_PIECE)
    links = relink(units, thesis, rule_links, weights=weights(attachment=PAIR_SCORER))
    assert sorted(link.source for link in links) == [i for i in range(len(units)) if i != thesis]
    for link in links:
        assert link.rule == "attachment_scorer"
        assert link.cue.kind is CueKind.FEATURE and not link.fallback
        assert link.cue.words in PAIR_WEIGHTS
        assert link.cue.description.endswith(f"{link.cue.weight:+.1f}")
        assert link.runner_up is not None  # every unit here has two candidates or more
        head, p = link.runner_up
        assert head not in (link.source, link.target) and 0.0 <= p <= link.confidence
    by_source = {link.source: link for link in rule_links}
    for link in links:  # no attack scorer: a kept rule link keeps its kind
        rule = by_source[link.source]
        if rule.target == link.target:
            assert link.kind is rule.kind
        else:
            assert link.kind is RelationKind.SUPPORT


def test_the_rules_attack_survives_when_the_scorer_keeps_the_link(nlp: Language) -> None:
    units, thesis, rule_links = rule_reading(nlp, LINK_PIECE)
    attacks = [link for link in rule_links if link.kind is RelationKind.ATTACK]
    assert attacks, "the invented piece should raise an objection"
    links = relink(units, thesis, rule_links, weights=weights(attachment=PAIR_SCORER))
    kept = {(link.source, link.target): link.kind for link in links}
    for attack in attacks:
        if (attack.source, attack.target) in kept:
            assert kept[(attack.source, attack.target)] is RelationKind.ATTACK


def test_relink_leaves_a_piece_beyond_the_scorers_domain_to_the_rules(nlp: Language) -> None:
    units, thesis, rule_links = rule_reading(nlp, LINK_PIECE)  # three paragraphs
    narrow = PAIR_SCORER.model_copy(update={"max_paragraphs": 1})
    assert relink(units, thesis, rule_links, weights=weights(attachment=narrow)) == rule_links


def test_analyze_with_an_attachment_scorer_shows_runner_ups_in_the_json() -> None:
    m = argmap.analyze(LINK_PIECE, weights=weights(attachment=PAIR_SCORER))
    data = json.loads(render.to_json(m))
    ids = {u["id"] for u in data["units"]}
    relations = data["relations"]
    assert relations and all(r["rule"] == "attachment_scorer" for r in relations)
    runner_ups = [r for r in relations if r["runner_up"] is not None]
    assert runner_ups
    for r in runner_ups:
        assert r["runner_up"] in ids and r["runner_up"] not in (r["source"], r["target"])
        assert 0.0 <= r["runner_up_confidence"] <= 1.0
    plain = argmap.analyze(LINK_PIECE, weights=weights())
    assert all(r.runner_up is None and r.rule != "attachment_scorer" for r in plain.relations)


# --- 4. decide_units: the thesis and the evidence guards ------------------------------------


def test_an_objection_is_never_the_thesis_while_another_unit_can_be() -> None:
    rows: list[UnitFeatures] = [{"s": 5.0}, {"s": 1.0}, {"s": -1.0}]
    rules: Rules = [(Role.OBJECTION, None), (Role.CLAIM, None), (Role.PREMISE, None)]
    thesis, verdicts = decide_units(rows, rules, 0, weights(thesis=by_value()))
    assert thesis == 1
    assert verdicts[0].role is Role.OBJECTION and verdicts[1].role is Role.THESIS
    assert verdicts[0].thesis_probability == pytest.approx(sigmoid(5.0))  # reported, not used


def test_a_piece_of_objections_still_has_a_thesis() -> None:
    rows: list[UnitFeatures] = [{"s": -1.0}, {"s": 2.0}]
    rules: Rules = [(Role.OBJECTION, None), (Role.OBJECTION, None)]
    thesis, verdicts = decide_units(rows, rules, 0, weights(thesis=by_value()))
    assert thesis == 1 and verdicts[1].role is Role.THESIS


def test_an_objection_in_the_opening_never_wins_over_a_weak_closing_best() -> None:
    """Every thesis probability tiny: the opening objection must still not be the thesis."""
    rows: list[UnitFeatures] = [{"para:first": 1.0, "s": 0.0}, {"para:last": 1.0, "s": -20.0}]
    rules: Rules = [(Role.OBJECTION, None), (Role.CLAIM, None)]
    thesis, _ = decide_units(rows, rules, 0, weights(thesis=by_value(bias=-1.0)))
    assert thesis == 1


def opening_rows(first: float, last: float) -> list[UnitFeatures]:
    """Three paragraphs: an opening unit, a middle one, a closing one (log-odds as given)."""
    return [
        {"para:first": 1.0, "s": first},
        {"s": last + 1.0},
        {"para:last": 1.0, "s": last + 2.0},
    ]


def probs(rows: list[UnitFeatures]) -> list[float]:
    return [sigmoid(r["s"]) for r in rows]


def test_the_opening_statement_wins_within_the_margin() -> None:
    best = 2.0
    near = opening_rows(best - OPENING_MARGIN + 0.1, best - 2.0)
    assert _opening_statement(near, probs(near)) == 0
    thesis, _ = decide_units(near, [(Role.CLAIM, None)] * 3, 2, weights(thesis=by_value()))
    assert thesis == 0


def test_the_closing_statement_wins_beyond_the_margin() -> None:
    best = 2.0
    far = opening_rows(best - OPENING_MARGIN - 0.1, best - 2.0)
    assert _opening_statement(far, probs(far)) == 2
    thesis, _ = decide_units(far, [(Role.CLAIM, None)] * 3, 0, weights(thesis=by_value()))
    assert thesis == 2


def test_the_opening_is_preferred_only_over_a_closing_best() -> None:
    """A best unit in the middle of the piece is the thesis, however close the opening is."""
    rows: list[UnitFeatures] = [{"para:first": 1.0, "s": 1.9}, {"s": 2.0}, {"para:last": 1.0}]
    assert _opening_statement(rows, [sigmoid(1.9), sigmoid(2.0), sigmoid(0.0)]) == 1


def test_sourced_rule_evidence_stays_evidence_when_the_scorer_says_no() -> None:
    says_no = LinearScorer(kind="binary", classes=["yes"], bias={"yes": -5.0}, weights={})
    rules: Rules = [
        (Role.CLAIM, None),
        (Role.EVIDENCE, EvidenceType.TESTIMONY),
        (Role.EVIDENCE, EvidenceType.STATISTIC),
        (Role.PREMISE, None),
    ]
    sourced: UnitFeatures = {SOURCED_EVIDENCE: 1.0}
    rows: list[UnitFeatures] = [{}, sourced, {}, sourced]
    _, verdicts = decide_units(rows, rules, 0, weights(evidence=says_no))
    kept = verdicts[1]
    assert kept.role is Role.EVIDENCE and kept.scorer == "evidence"
    assert kept.evidence_type is EvidenceType.TESTIMONY
    assert kept.probability == 0.5
    assert verdicts[2].role is Role.PREMISE  # unsourced: the scorer overrules the rule
    assert verdicts[2].probability == pytest.approx(1 - sigmoid(-5.0))
    assert verdicts[3].role is Role.PREMISE  # sourced, but the rules never read it as evidence


def test_an_objection_outranks_sourced_evidence() -> None:
    objection = LinearScorer(kind="binary", classes=["yes"], bias={"yes": 5.0}, weights={})
    rules: Rules = [(Role.CLAIM, None), (Role.EVIDENCE, EvidenceType.TESTIMONY)]
    rows: list[UnitFeatures] = [{}, {SOURCED_EVIDENCE: 1.0}]
    _, verdicts = decide_units(rows, rules, 0, weights(objection=objection))
    assert verdicts[1].role is Role.OBJECTION


# --- 5. every shipped feature reads as words -------------------------------------------------


def shipped_feature_names() -> set[str]:
    raw = resources.files("argmap.scoring").joinpath("weights.json").read_text(encoding="utf-8")
    shipped = Weights.model_validate_json(raw)
    return {
        name for s in shipped.scorers.values() for table in s.weights.values() for name in table
    }


def test_every_shipped_feature_has_a_description() -> None:
    names = shipped_feature_names()
    assert len(names) > 50
    raw = {n: n.replace("_", " ").replace(":", ": ") for n in names}
    undescribed = sorted(n for n in names if describe_feature(n) in ("", raw[n]))
    assert undescribed == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("modal:should", "modal verb 'should'"),
        ("first_word:because", "opens with 'because'"),
        ("rule_role:objection", "the rules read it as objection"),
        ("ends_with:?", "ends with '?'"),
        ("cue:opponent_view", "opponent view"),
    ],
)
def test_feature_descriptions_by_prefix(name: str, words: str) -> None:
    assert describe_feature(name) == words


# --- 6. a demanding first line is the thesis's, not a headline ------------------------------


def test_a_demanding_first_line_above_long_paragraphs_stays_a_unit() -> None:
    long = (
        "The pool is the only place in town where children can learn to swim in winter, "
        "and the families who use it every morning before work have nowhere else to go."
    )
    body = "\n\n".join([long, long.replace("winter", "spring"), "The cost is small."])
    doc = parse_text("The council should keep the pool open all year.\n\n" + body)
    assert doc.title is None
    assert not doc.skipped
    first = doc.blocks[0]
    assert doc.text[first.start : first.end] == "The council should keep the pool open all year."
    assert len(doc.blocks) == 4
    headline = parse_text("Keep the pool open all year.\n\n" + body)  # the same line, not demanding
    assert headline.title_text == "Keep the pool open all year."
