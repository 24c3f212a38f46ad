"""Roles and the thesis: ordered, named rules, each of which can be switched off.

Behaviour tests on short invented texts with the real English model. Every rule
in ``ROLE_RULES`` and ``THESIS_RULES`` has a case in ``ROLE_CASES`` /
``THESIS_CASES`` on which it fires and decides the outcome; a new rule without
a case fails ``test_every_*_rule_has_a_firing_case``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from argmap.classify import ROLE_RULES, Classified, classify_units
from argmap.cues import extract_features
from argmap.model import CueKind, EvidenceType, Role
from argmap.nlp import load_model
from argmap.reader import parse_text
from argmap.segment import segment_units
from argmap.thesis import THESIS_RULES, choose_thesis

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


@dataclass(frozen=True)
class Analysed:
    texts: list[str]
    units: list[Classified]


def classify(nlp: Language, text: str, disabled: frozenset[str] = frozenset()) -> Analysed:
    source = parse_text(text)
    segments = segment_units(source, [nlp(source.clean[b.start : b.end]) for b in source.blocks])
    units = classify_units(
        segments, [extract_features(s.tokens) for s in segments], disabled=disabled
    )
    return Analysed([source.text[s.start : s.end] for s in segments], units)


def title_lemmas(nlp: Language, title: str) -> frozenset[str]:
    """The title's content lemmas, as the pipeline computes them."""
    return frozenset(t.lemma_.lower() for t in nlp(title) if t.is_alpha and not t.is_stop)


def thesis_of(
    nlp: Language, text: str, *, title: str = "", disabled: frozenset[str] = frozenset()
) -> str:
    analysed = classify(nlp, text)
    lemmas = title_lemmas(nlp, title) if title else frozenset()
    chosen = choose_thesis(analysed.units, title_lemmas=lemmas, disabled=disabled)
    assert chosen is not None
    return analysed.texts[chosen.index]


def role_of(nlp: Language, text: str, index: int = 0) -> tuple[Role, EvidenceType | None]:
    decision = classify(nlp, text).units[index].decision
    return decision.role, decision.evidence_type


# --- roles: clear cases -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role", "evidence_type"),
    [
        ("The city should build more bike lanes.", Role.RECOMMENDATION, None),
        ("Residents must register their bikes by Friday.", Role.RECOMMENDATION, None),
        ("Close the road to cars on Sundays.", Role.RECOMMENDATION, None),
        ("Why not open the pool on weekends?", Role.RECOMMENDATION, None),
        ("The fee rose by 40 percent last year.", Role.EVIDENCE, EvidenceType.STATISTIC),
        ("Three thousand people signed the petition.", Role.EVIDENCE, EvidenceType.STATISTIC),
        ("The mayor said that buses save time.", Role.EVIDENCE, EvidenceType.TESTIMONY),
        ("“Buses are the backbone of any town.”", Role.EVIDENCE, EvidenceType.TESTIMONY),
        ("For example, Oslo banned cars from its centre.", Role.EVIDENCE, EvidenceType.EXAMPLE),
        ("Critics argue that buses are too slow.", Role.OBJECTION, None),
        ("Some people say the plan is too costly.", Role.OBJECTION, None),
        ("The bus is slow.", Role.PREMISE, None),
    ],
)
def test_role_of_a_clear_case(
    nlp: Language, text: str, role: Role, evidence_type: EvidenceType | None
) -> None:
    assert role_of(nlp, text) == (role, evidence_type)


def test_concessive_clause_is_an_objection(nlp: Language) -> None:
    text = "Although the pool costs money, the town gains far more than it spends."
    assert role_of(nlp, text, 0) == (Role.OBJECTION, None)


def test_main_clause_after_a_concession_is_not_an_objection(nlp: Language) -> None:
    text = "Although the pool costs money, the town gains far more than it spends."
    assert role_of(nlp, text, 1)[0] is not Role.OBJECTION


def test_a_predicted_consequence_is_not_a_recommendation(nlp: Language) -> None:
    text = "If the road closes, visitors would have to walk further."
    assert role_of(nlp, text)[0] is not Role.RECOMMENDATION


@pytest.mark.parametrize(
    "text", ["The museum will showcase local artists.", "The case for free buses is strong."]
)
def test_the_word_case_alone_is_not_an_example(nlp: Language, text: str) -> None:
    assert role_of(nlp, text)[0] is not Role.EVIDENCE


def test_the_verb_take_inside_a_clause_is_not_an_example(nlp: Language) -> None:
    text = "Parents who cannot take Fridays off pay for extra childcare."
    assert role_of(nlp, text) == (Role.PREMISE, None)


def test_a_quoted_bystander_is_testimony_not_an_objection(nlp: Language) -> None:
    text = "“The pool keeps me healthy,” said one swimmer."
    assert role_of(nlp, text) == (Role.EVIDENCE, EvidenceType.TESTIMONY)


def test_every_decision_states_its_cue_and_a_confidence(nlp: Language) -> None:
    text = (
        "The town should keep the pool open. According to the census, 40 percent of "
        "children cannot swim. Critics argue that the pool costs too much. But families "
        "use it every day, because it is the only pool in town."
    )
    for unit in classify(nlp, text).units:
        assert unit.decision.cue.description and unit.decision.rule
        assert unit.decision.cue.rule == unit.decision.rule
        assert 0.0 <= unit.decision.confidence <= 1.0
        assert unit.cues[0] == unit.decision.cue
        assert all(cue.rule for cue in unit.cues)
        if unit.decision.evidence_type is not None:
            assert unit.decision.role is Role.EVIDENCE


# --- roles: one firing case per rule --------------------------------------------


@dataclass(frozen=True)
class RoleCase:
    text: str
    index: int
    role: Role
    evidence_type: EvidenceType | None = None
    needs: frozenset[str] = frozenset()
    """Other rules the case depends on (e.g. an earlier unit's role)."""


ROLE_CASES: dict[str, RoleCase] = {
    "objection_by_marker": RoleCase("Critics argue that buses are too slow.", 0, Role.OBJECTION),
    "objection_by_concessive_clause": RoleCase(
        "Although the pool costs money, the town gains far more than it spends.",
        0,
        Role.OBJECTION,
    ),
    "objection_continued": RoleCase(
        "Critics argue that the pool is too costly; the heating alone eats half the budget.",
        1,
        Role.OBJECTION,
        needs=frozenset({"objection_by_marker"}),
    ),
    "testimony_by_attribution": RoleCase(
        "The mayor said that buses save time.", 0, Role.EVIDENCE, EvidenceType.TESTIMONY
    ),
    "statistic_by_number": RoleCase(
        "The fee rose by 40 percent last year.", 0, Role.EVIDENCE, EvidenceType.STATISTIC
    ),
    "recommendation_by_question": RoleCase(
        "Why not open the pool on weekends?", 0, Role.RECOMMENDATION
    ),
    "recommendation_by_modal": RoleCase(
        "The city should build more bike lanes.", 0, Role.RECOMMENDATION
    ),
    "testimony_by_quotation": RoleCase(
        "“Buses are the backbone of any town.”", 0, Role.EVIDENCE, EvidenceType.TESTIMONY
    ),
    "example_by_marker": RoleCase(
        "For example, Oslo banned cars from its centre.", 0, Role.EVIDENCE, EvidenceType.EXAMPLE
    ),
    "objection_before_contrast": RoleCase(
        "The pool may be expensive to heat. But families use it every day.", 0, Role.OBJECTION
    ),
    "premise_by_default": RoleCase("The bus is slow.", 0, Role.PREMISE),
}

ROLE_NAMES = [name for name, _ in ROLE_RULES]


def test_role_rules_have_unique_names() -> None:
    assert all(isinstance(name, str) and name for name in ROLE_NAMES)
    assert len(set(ROLE_NAMES)) == len(ROLE_NAMES)
    assert ROLE_NAMES[-1] == "premise_by_default"


def test_every_role_rule_has_a_firing_case() -> None:
    assert sorted(ROLE_CASES) == sorted(ROLE_NAMES)


@pytest.mark.parametrize("name", sorted(ROLE_CASES))
def test_role_rule_fires_on_its_case(nlp: Language, name: str) -> None:
    """With only this rule (and what it needs) switched on, it alone gives the role."""
    case = ROLE_CASES[name]
    only = frozenset(ROLE_NAMES) - {name} - case.needs
    decision = classify(nlp, case.text, disabled=only).units[case.index].decision
    assert (decision.role, decision.evidence_type) == (case.role, case.evidence_type)
    full = classify(nlp, case.text).units[case.index].decision
    assert full == decision


@pytest.mark.parametrize("name", sorted(set(ROLE_CASES) - {"premise_by_default"}))
def test_disabling_a_role_rule_changes_its_case(nlp: Language, name: str) -> None:
    case = ROLE_CASES[name]
    decision = classify(nlp, case.text, disabled=frozenset({name})).units[case.index].decision
    assert (decision.role, decision.evidence_type) != (case.role, case.evidence_type)


def test_the_default_rule_is_the_floor_even_when_disabled(nlp: Language) -> None:
    """premise_by_default is the fallback: with every rule off, each unit is a premise."""
    analysed = classify(nlp, "The city should build bike lanes.", disabled=frozenset(ROLE_NAMES))
    assert [u.decision.role for u in analysed.units] == [Role.PREMISE]


def test_rules_run_in_order_and_the_first_that_fires_decides(nlp: Language) -> None:
    """A reported opponent is an objection before it is testimony."""
    text = "Critics argue that buses are too slow."
    assert role_of(nlp, text) == (Role.OBJECTION, None)
    disabled = frozenset({"objection_by_marker"})
    decision = classify(nlp, text, disabled=disabled).units[0].decision
    assert (decision.role, decision.evidence_type) == (Role.EVIDENCE, EvidenceType.TESTIMONY)


# --- the thesis -------------------------------------------------------------------


def test_thesis_is_the_recommendation_not_its_reason_clause(nlp: Language) -> None:
    text = "Cities should plant more trees, because shade cools the streets in summer."
    assert thesis_of(nlp, text) == "Cities should plant more trees,"


def test_thesis_is_the_main_clause_not_the_fronted_reason(nlp: Language) -> None:
    text = "Because the bridge is old, the council must repair it soon."
    assert thesis_of(nlp, text) == "the council must repair it soon."


def test_thesis_prefers_the_claim_that_shares_the_title(nlp: Language) -> None:
    text = (
        "The fare machines break every week, because the parts are old. "
        "Free buses would serve everyone in town."
    )
    assert thesis_of(nlp, text, title="Free Buses for Everyone") == (
        "Free buses would serve everyone in town."
    )


def test_thesis_prefers_a_stance_over_a_reported_fact(nlp: Language) -> None:
    text = "The buses run every hour. I believe the bus network is a success."
    assert thesis_of(nlp, text) == "I believe the bus network is a success."


def test_no_units_no_thesis() -> None:
    assert choose_thesis([]) is None


def test_thesis_confidence_and_cues(nlp: Language) -> None:
    analysed = classify(nlp, "Shade trees line the streets. The council should plant more trees.")
    chosen = choose_thesis(analysed.units)
    assert chosen is not None
    assert chosen.index == 1
    assert 0.5 <= chosen.confidence <= 0.95
    assert any(cue.kind is CueKind.CALL_TO_ACTION for cue in chosen.cues)
    assert round(sum(cue.weight for cue in chosen.cues), 2) == chosen.score
    assert all(cue.rule.startswith("thesis_") for cue in chosen.cues)
    assert all(score > chosen.score - 1.0 for _, score in chosen.rivals)


def test_close_rivals_are_kept_and_clear_losers_are_not(nlp: Language) -> None:
    analysed = classify(nlp, "We should plant trees. We must also fix the roads. Birds sing.")
    chosen = choose_thesis(analysed.units)
    assert chosen is not None and chosen.index == 0
    assert [i for i, _ in chosen.rivals] == [1]


@dataclass(frozen=True)
class ThesisCase:
    text: str
    thesis: str
    title: str = ""


THESIS_CASES: dict[str, ThesisCase] = {
    "thesis_role": ThesisCase(
        "Shade trees line the old streets of the town. The council should plant more shade trees.",
        "The council should plant more shade trees.",
    ),
    "thesis_stance": ThesisCase(
        "The buses run every hour. I believe the bus network is a success.",
        "I believe the bus network is a success.",
    ),
    "thesis_opener": ThesisCase(
        "The old bridge is rusting badly. Therefore, the bridge is a danger to drivers.",
        "Therefore, the bridge is a danger to drivers.",
    ),
    "thesis_judgement": ThesisCase(
        "The buses run every hour. The new fare is unfair to students.",
        "The new fare is unfair to students.",
    ),
    "thesis_position": ThesisCase(
        "Our town library is too small for its readers.\n\n"
        "Readers queue for the only two computers in the library.\n\n"
        "The reading room seats twelve people.\n\n"
        "Readers in the library often stand.",
        "Our town library is too small for its readers.",
    ),
    "thesis_title": ThesisCase(
        "Buses run every hour across town. The bridge paint is peeling badly.",
        "The bridge paint is peeling badly.",
        title="Bridge Paint",
    ),
    "thesis_centrality": ThesisCase(
        "What is the best use of road space?\n"
        "Bike lanes keep riders safe on busy roads.\n\n"
        "Bike lanes help riders reach work quickly.\n\n"
        "The weather was mild last week.",
        "Bike lanes keep riders safe on busy roads.",
    ),
    "thesis_weakness": ThesisCase(
        "Is the pool too expensive? The pool is popular with local families.",
        "The pool is popular with local families.",
    ),
}

THESIS_NAMES = [name for name, _ in THESIS_RULES]


def test_thesis_rules_have_unique_names() -> None:
    assert all(isinstance(name, str) and name for name in THESIS_NAMES)
    assert len(set(THESIS_NAMES)) == len(THESIS_NAMES)


def test_every_thesis_rule_has_a_firing_case() -> None:
    assert sorted(THESIS_CASES) == sorted(THESIS_NAMES)


@pytest.mark.parametrize("name", sorted(THESIS_CASES))
def test_thesis_rule_decides_its_case(nlp: Language, name: str) -> None:
    case = THESIS_CASES[name]
    assert thesis_of(nlp, case.text, title=case.title) == case.thesis
    only = frozenset(THESIS_NAMES) - {name}
    assert thesis_of(nlp, case.text, title=case.title, disabled=only) == case.thesis


@pytest.mark.parametrize("name", sorted(THESIS_CASES))
def test_disabling_a_thesis_rule_changes_its_case(nlp: Language, name: str) -> None:
    case = THESIS_CASES[name]
    disabled = frozenset({name})
    assert thesis_of(nlp, case.text, title=case.title, disabled=disabled) != case.thesis


def test_repeating_the_headline_without_a_stance_is_background(nlp: Language) -> None:
    text = (
        "The town has raised parking fees every year since the new garage opened. "
        "Shops on the square have lost customers. "
        "The council should freeze the fees until the garage is full."
    )
    title = "Parking fees keep rising in the town"
    assert thesis_of(nlp, text, title=title).startswith("The council should freeze")
