"""Relations: ordered, named link rules; the thesis is the root and there are no cycles.

Behaviour tests on short invented texts with the real English model. Every rule
in ``LINK_RULES`` has a case in ``LINK_CASES`` on which it fires and decides the
relation; a new rule without a case fails ``test_every_link_rule_has_a_firing_case``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from argmap.classify import Classified, classify_units
from argmap.cues import extract_features
from argmap.link import LINK_RULES, Link, link_units
from argmap.model import RelationKind, Role
from argmap.nlp import load_model
from argmap.reader import parse_text
from argmap.segment import segment_units
from argmap.thesis import choose_thesis

if TYPE_CHECKING:
    from spacy.language import Language

SUPPORT, ATTACK = RelationKind.SUPPORT, RelationKind.ATTACK
LINK_NAMES = [name for name, _ in LINK_RULES]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


@dataclass(frozen=True)
class Linked:
    texts: list[str]
    units: list[Classified]
    thesis: int
    links: list[Link]

    def index(self, prefix: str) -> int:
        found = [i for i, t in enumerate(self.texts) if t.startswith(prefix)]
        assert len(found) == 1, f"{prefix!r} should start exactly one unit of {self.texts}"
        return found[0]

    def link_from(self, prefix: str) -> Link | None:
        source = self.index(prefix)
        found = [lk for lk in self.links if lk.source == source]
        assert len(found) <= 1
        return found[0] if found else None

    def relation(self, prefix: str) -> tuple[str, RelationKind] | None:
        """(target text, kind) of the unit starting with ``prefix``."""
        link = self.link_from(prefix)
        return (self.texts[link.target], link.kind) if link else None


def linked(nlp: Language, text: str, disabled: frozenset[str] = frozenset()) -> Linked:
    source = parse_text(text)
    segments = segment_units(source, [nlp(source.clean[b.start : b.end]) for b in source.blocks])
    units = classify_units(segments, [extract_features(s.tokens) for s in segments])
    chosen = choose_thesis(units)
    assert chosen is not None
    links = link_units(units, chosen.index, disabled=disabled)
    return Linked([source.text[s.start : s.end] for s in segments], units, chosen.index, links)


# --- the relations a reader expects -------------------------------------------------

BECAUSE = "Cities should plant more trees, because shade cools the streets in summer."
ALTHOUGH = (
    "The town should build a new pool. "
    "Although the pool costs money, the town gains far more than it spends."
)
REBUTTAL = (
    "The town should keep the pool open.\n\n"
    "Critics argue that the pool costs too much. But families use it every day."
)
EVIDENCE = (
    "The town should expand the bus service.\n\n"
    "Buses are faster than cars downtown. "
    "According to the transport office, buses save 12 minutes per trip."
)
THEREFORE = (
    "The council should rebuild the bridge.\n\n"
    "The bridge is rusting badly. Therefore, the bridge is unsafe for trucks."
)


def test_because_clause_supports_the_clause_before(nlp: Language) -> None:
    m = linked(nlp, BECAUSE)
    assert m.relation("because shade") == ("Cities should plant more trees,", SUPPORT)


def test_a_concessive_clause_attacks_the_thesis_and_its_main_clause_answers_it(
    nlp: Language,
) -> None:
    m = linked(nlp, ALTHOUGH)
    assert m.relation("Although the pool") == ("The town should build a new pool.", ATTACK)
    assert m.relation("the town gains") == ("Although the pool costs money,", ATTACK)


def test_but_after_an_objection_attacks_the_objection(nlp: Language) -> None:
    m = linked(nlp, REBUTTAL)
    assert m.units[m.index("Critics argue")].decision.role is Role.OBJECTION
    assert m.relation("But families") == ("Critics argue that the pool costs too much.", ATTACK)
    assert m.relation("Critics argue") == ("The town should keep the pool open.", ATTACK)


def test_evidence_supports_the_claim_it_follows(nlp: Language) -> None:
    m = linked(nlp, EVIDENCE)
    assert m.relation("According to") == ("Buses are faster than cars downtown.", SUPPORT)


def test_the_unit_before_therefore_supports_the_conclusion(nlp: Language) -> None:
    m = linked(nlp, THEREFORE)
    assert m.relation("The bridge is rusting") == (
        "Therefore, the bridge is unsafe for trucks.",
        SUPPORT,
    )


def test_every_link_names_its_cue_and_a_confidence(nlp: Language) -> None:
    for text in (BECAUSE, ALTHOUGH, REBUTTAL, EVIDENCE, THEREFORE):
        for link in linked(nlp, text).links:
            assert link.cue.description and link.rule
            assert link.cue.rule == link.rule
            assert 0.0 <= link.confidence <= 1.0


# --- harder cases: clauses, enumerations, rebuttals ----------------------------------


def test_fronted_because_clause_supports_its_own_main_clause(nlp: Language) -> None:
    text = (
        "The town should close the main street to cars.\n\n"
        "Walkers spend more in small shops. "
        "Because walkers linger, they notice the shop windows."
    )
    m = linked(nlp, text)
    assert m.relation("Because walkers") == ("they notice the shop windows.", SUPPORT)


def test_second_reason_is_a_sibling_of_the_first(nlp: Language) -> None:
    text = (
        "The town should close the main street to cars on Saturdays.\n\n"
        "First, walkers spend more money in small shops. "
        "Because walkers linger, they notice more of the shop windows.\n\n"
        "Second, fewer cars mean fewer injuries on the street."
    )
    m = linked(nlp, text)
    thesis = "The town should close the main street to cars on Saturdays."
    assert m.relation("First,") == (thesis, SUPPORT)
    assert m.relation("Second,") == (thesis, SUPPORT)


def test_further_reason_after_a_rebuttal_does_not_support_the_objection(nlp: Language) -> None:
    text = (
        "The town should close the main street to cars on Saturdays.\n\n"
        "Critics argue that closing the street will hurt the shops. "
        "However, the plan keeps both car parks open.\n\n"
        "Moreover, the trial would be cheap for the town."
    )
    m = linked(nlp, text)
    assert m.relation("Moreover,") == (
        "The town should close the main street to cars on Saturdays.",
        SUPPORT,
    )


def test_a_recommendation_does_not_support_its_own_purpose_clause(nlp: Language) -> None:
    text = (
        "The town should keep the pool open.\n\n"
        "The council should also fund swimming lessons, so that every child can swim by age ten."
    )
    m = linked(nlp, text)
    recommendation = m.link_from("The council should also fund")
    assert recommendation is not None
    assert not m.texts[recommendation.target].startswith("so that")


# --- the graph's shape -----------------------------------------------------------------

LONG = (
    "The town should keep the public pool open all year.\n\n"
    "First, the pool teaches children to swim, because the schools have no pool of their own. "
    "According to the county, 40 percent of ten-year-olds cannot swim.\n\n"
    "Critics argue that the heating costs too much. But the pool earns back most of its costs, "
    "and the roof can be insulated. Therefore, the real cost is small.\n\n"
    "Moreover, older residents swim there every morning. "
    "“The pool keeps me out of the doctor's office,” said one swimmer.\n\n"
    "Although a new pool would be nicer, repairing this one is cheaper. "
    "The council must vote to keep it open."
)


@pytest.mark.parametrize("text", [BECAUSE, ALTHOUGH, REBUTTAL, EVIDENCE, THEREFORE, LONG])
def test_links_form_a_forest_rooted_at_the_thesis(nlp: Language, text: str) -> None:
    m = linked(nlp, text)
    sources = [lk.source for lk in m.links]
    assert len(sources) == len(set(sources)), "at most one outgoing relation per unit"
    assert m.thesis not in sources, "the thesis has no outgoing relation"
    targets = {lk.source: lk.target for lk in m.links}
    for start in targets:
        seen, node = {start}, targets[start]
        while node in targets:
            assert node not in seen, f"cycle through unit {node}"
            seen.add(node)
            node = targets[node]
    for link in m.links:
        assert link.source != link.target
        assert 0 <= link.target < len(m.texts)


def reaches_thesis(m: Linked) -> dict[str, bool]:
    targets = {lk.source: lk.target for lk in m.links}
    reached = {}
    for i, text in enumerate(m.texts):
        node = i
        while node in targets:
            node = targets[node]
        reached[text] = node == m.thesis
    return reached


def test_every_unit_of_a_text_reaches_the_thesis(nlp: Language) -> None:
    text = (
        "The town should keep the public pool open all year.\n\n"
        "First, the pool teaches children to swim, because the schools have no pool. "
        "According to the county, 40 percent of ten-year-olds cannot swim.\n\n"
        "Critics argue that the heating costs too much. But the pool earns back its costs.\n\n"
        "The council must vote to keep it open."
    )
    m = linked(nlp, text)
    assert len(m.texts) == 7
    assert all(reaches_thesis(m).values()), reaches_thesis(m)


def test_main_clause_after_a_paragraph_opening_concession_is_linked(nlp: Language) -> None:
    text = (
        "The town should keep the pool open.\n\n"
        "Although a new pool would be nicer, repairing this one is cheaper."
    )
    m = linked(nlp, text)
    assert m.link_from("repairing this one") is not None
    assert all(reaches_thesis(m).values())


def test_conclusion_of_a_rebuttal_does_not_support_the_objection(nlp: Language) -> None:
    text = (
        "The town should keep the pool open.\n\n"
        "Critics argue that the heating costs too much. But the pool earns back most of its "
        "costs. Therefore, the real cost is small."
    )
    m = linked(nlp, text)
    objection = "Critics argue that the heating costs too much."
    assert m.relation("Critics argue") == ("The town should keep the pool open.", ATTACK)
    assert m.relation("Therefore,") != (objection, SUPPORT)


# --- one firing case per rule ------------------------------------------------------------


@dataclass(frozen=True)
class LinkCase:
    text: str
    source: str
    target: str
    kind: RelationKind


LINK_CASES: dict[str, LinkCase] = {
    "split_reason": LinkCase(BECAUSE, "because shade", "Cities should plant", SUPPORT),
    "concession_clause": LinkCase(ALTHOUGH, "Although the pool", "The town should build", ATTACK),
    "answer_to_concession": LinkCase(ALTHOUGH, "the town gains", "Although the pool", ATTACK),
    "rebuttal_of_objection": LinkCase(REBUTTAL, "But families", "Critics argue", ATTACK),
    "objection_target": LinkCase(REBUTTAL, "Critics argue", "The town should", ATTACK),
    "consequence_clause": LinkCase(
        "The pool should stay open.\n\nCritics argue that the pool costs too much. "
        "But families swim there every day, so the pool pays for itself.",
        "so the pool",
        "Critics argue",
        ATTACK,
    ),
    "coordinated_clause": LinkCase(
        "The pool should stay open.\n\nCritics argue that the pool costs too much. "
        "But families swim there every day, and the lessons teach children to swim.",
        "and the lessons",
        "Critics argue",
        ATTACK,
    ),
    "premise_before_conclusion": LinkCase(
        THEREFORE, "The bridge is rusting", "Therefore,", SUPPORT
    ),
    "reason_opener": LinkCase(
        "The town needs a public pool.\n\n"
        "The pool would be popular. After all, families have nowhere else to swim.",
        "After all",
        "The pool would be popular.",
        SUPPORT,
    ),
    "enumerated_reason": LinkCase(
        "The town should close the main street to cars on Saturdays.\n\n"
        "First, walkers spend more money in small shops. "
        "Because walkers linger, they notice more of the shop windows.\n\n"
        "Second, fewer cars mean fewer injuries on the street.",
        "Second,",
        "The town should close",
        SUPPORT,
    ),
    "evidence_backs_claim": LinkCase(EVIDENCE, "According to", "Buses are faster", SUPPORT),
    "contrast_opener": LinkCase(
        "The town should keep the pool open all year. However, the heating bill is high.",
        "However,",
        "The town should",
        ATTACK,
    ),
    "addition_opener": LinkCase(
        "The pool should stay open.\n\n"
        "The pool is popular with families. Moreover, the pool teaches children to swim.",
        "Moreover,",
        "The pool should stay open.",
        SUPPORT,
    ),
    "restatement_opener": LinkCase(
        "The pool should stay open.\n\n"
        "The pool is popular with families. In fact, the pool is full every weekend.",
        "In fact,",
        "The pool is popular",
        SUPPORT,
    ),
    "stance_restates_thesis": LinkCase(
        "The town should keep the pool open.\n\n"
        "Pools cost money to heat. In my view, a pool is worth every cent it costs.",
        "In my view",
        "The town should keep the pool open.",
        SUPPORT,
    ),
    "anaphoric_opener": LinkCase(
        "The pool should stay open.\n\n"
        "The town has no other place to swim. This leaves many children without lessons.",
        "This leaves",
        "The town has no other place",
        SUPPORT,
    ),
    "paragraph_structure": LinkCase(
        "The pool should stay open.\n\nThe pool is popular with families.",
        "The pool is popular",
        "The pool should stay open.",
        SUPPORT,
    ),
}


# Rules that copy a neighbour's relation: alone, the neighbour is linked differently.
INHERITING = {"consequence_clause", "coordinated_clause"}


def test_link_rules_have_unique_names() -> None:
    assert all(isinstance(name, str) and name for name in LINK_NAMES)
    assert len(set(LINK_NAMES)) == len(LINK_NAMES)
    assert LINK_NAMES[-1] == "paragraph_structure"


def test_every_link_rule_has_a_firing_case() -> None:
    assert sorted(LINK_CASES) == sorted(LINK_NAMES)


@pytest.mark.parametrize("name", sorted(LINK_CASES))
def test_link_rule_fires_on_its_case(nlp: Language, name: str) -> None:
    """The case's relation is as expected, and this rule alone produces the same link."""
    case = LINK_CASES[name]
    m = linked(nlp, case.text)
    link = m.link_from(case.source)
    assert link is not None
    assert m.texts[link.target].startswith(case.target)
    assert link.kind is case.kind
    if name in INHERITING:
        return
    alone = linked(nlp, case.text, disabled=frozenset(LINK_NAMES) - {name})
    alone_link = alone.link_from(case.source)
    assert alone_link is not None
    # Confidence may differ: a rule such as consequence_clause inherits it from a neighbour.
    assert (alone_link.target, alone_link.kind, alone_link.cue) == (
        link.target,
        link.kind,
        link.cue,
    )


@pytest.mark.parametrize("name", sorted(set(LINK_CASES) - {"paragraph_structure"}))
def test_disabling_a_link_rule_changes_its_case(nlp: Language, name: str) -> None:
    case = LINK_CASES[name]
    full = linked(nlp, case.text).link_from(case.source)
    without = linked(nlp, case.text, disabled=frozenset({name})).link_from(case.source)
    assert without != full


def test_paragraph_structure_is_the_fallback_and_cannot_be_disabled(nlp: Language) -> None:
    case = LINK_CASES["paragraph_structure"]
    m = linked(nlp, case.text, disabled=frozenset(LINK_NAMES))
    assert m.relation(case.source) == ("The pool should stay open.", SUPPORT)
    assert len(m.links) == len(m.texts) - 1
