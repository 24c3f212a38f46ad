"""Cues: what ``extract_features`` reads from a parsed unit.

Behaviour tests on short invented sentences with the real English model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from argmap.cues import Features, extract_features
from argmap.nlp import load_model

if TYPE_CHECKING:
    from spacy.language import Language

Read = Callable[[str], Features]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="module")
def features(nlp: Language) -> Read:
    def read(text: str) -> Features:
        return extract_features(list(nlp(text)))

    return read


@pytest.mark.parametrize(
    ("text", "opener"),
    [
        ("However, the plan has a serious flaw.", ("contrast", "however")),
        ("But the trains run on time.", ("contrast", "but")),
        ("Therefore, the council must act this year.", ("conclusion", "therefore")),
        ("As a result, the buses run empty.", ("conclusion", "as a result")),
        ("For example, Oslo banned cars from its centre.", ("example", "for example")),
        ("For instance, the library opens on Sundays.", ("example", "for instance")),
        ("Admittedly, the scheme costs money.", ("concession", "admittedly")),
        ("Moreover, the pool teaches children to swim.", ("addition", "moreover")),
        ("Because the bridge is old, it needs repair.", ("reason", "because")),
        ("In other words, the fee is a tax.", ("restatement", "in other words")),
    ],
)
def test_opening_connective_and_its_category(
    features: Read, text: str, opener: tuple[str, str]
) -> None:
    assert features(text).opener == opener


def test_a_connective_inside_the_clause_is_not_an_opener(features: Read) -> None:
    assert features("The plan, however, has a serious flaw.").opener is None


def test_a_plain_statement_has_no_opener(features: Read) -> None:
    f = features("The buses run late.")
    assert f.opener is None
    assert f.word_count == 4
    assert "bus" in f.content_lemmas
    assert "the" not in f.content_lemmas


@pytest.mark.parametrize(
    ("text", "modal"),
    [
        ("The city should build more bike lanes.", "should"),
        ("Parents must sign the form before the trip.", "must"),
        ("Residents need to register by Friday.", "need to"),
        ("We have to act now.", "have to"),
    ],
)
def test_deontic_modals(features: Read, text: str, modal: str) -> None:
    assert features(text).deontic == modal


@pytest.mark.parametrize(
    "text",
    [
        "The city builds more bike lanes every year.",
        "The need for housing is great.",
        "The bridge will open next spring.",
    ],
)
def test_no_deontic_modal_in_plain_statements(features: Read, text: str) -> None:
    assert features(text).deontic is None


def test_imperative_sentence(features: Read) -> None:
    f = features("Close the road to cars on Sundays.")
    assert f.imperative == "close"
    assert f.deontic is None


def test_declarative_sentence_is_not_imperative(features: Read) -> None:
    assert features("The road closes to cars on Sundays.").imperative is None


def test_why_not_question_is_a_rhetorical_recommendation(features: Read) -> None:
    f = features("Why not open the pool on weekends?")
    assert f.question is True
    assert f.rhetorical_recommendation == "why not"
    assert f.imperative is None


def test_a_plain_question_is_not_a_recommendation(features: Read) -> None:
    f = features("Why is the pool closed?")
    assert f.question is True
    assert f.rhetorical_recommendation is None


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The fee rose by 40 percent.", "40"),
        ("Three thousand people signed the petition.", "Three"),
        ("The town spent $2.5 million on the bridge.", "2.5"),
        ("One in five children cannot swim.", "One"),
    ],
)
def test_quantities_are_statistics(features: Read, text: str, figure: str) -> None:
    assert features(text).statistic == figure


@pytest.mark.parametrize(
    "text",
    [
        "The fee rose in 2019.",
        "The fee rose on March 3.",
        "The fee rose on 3 March.",
        "In the 1990s the town grew quickly.",
        "The buses run late.",
    ],
)
def test_years_and_dates_are_not_statistics(features: Read, text: str) -> None:
    assert features(text).statistic is None


def test_a_clock_time_is_not_a_statistic(features: Read) -> None:
    assert features("The park opens at nine in the morning.").statistic is None


def test_the_adverb_first_is_not_a_statistic(features: Read) -> None:
    assert features("The council will look first at its bus contracts.").statistic is None


def test_a_quotation_with_speaker(features: Read) -> None:
    f = features('"Buses save time," said Ana Silva.')
    assert f.quotation is True
    assert f.quote_share == pytest.approx(0.5)
    assert f.attribution is not None
    assert f.attribution.endswith("said")


def test_a_quotation_in_curly_quotes_is_all_quoted(features: Read) -> None:
    f = features("“Buses are the backbone of any town.”")
    assert f.quotation is True
    assert f.quote_share == pytest.approx(1.0)


def test_no_quotation_marks_no_quotation(features: Read) -> None:
    f = features("Buses are the backbone of any town.")
    assert f.quotation is False
    assert f.quote_share == 0.0


@pytest.mark.parametrize(
    ("text", "attribution"),
    [
        ("According to the transport office, buses save time.", "according to"),
        ("The mayor said that buses save time.", "mayor said"),
        ("A 2021 study found that buses save time.", "study found"),
    ],
)
def test_attribution_to_a_source(features: Read, text: str, attribution: str) -> None:
    assert features(text).attribution == attribution


def test_the_author_speaking_is_not_attribution(features: Read) -> None:
    f = features("I said that buses save time.")
    assert f.attribution is None
    assert f.first_person is True


def test_a_study_year_is_not_a_statistic(features: Read) -> None:
    assert features("A 2021 study found that buses save time.").statistic is None


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("Critics argue that buses are too slow.", "critics argue"),
        ("Some people say the plan is too costly.", "some people say"),
        ("Admittedly, the scheme costs money.", "admittedly"),
    ],
)
def test_opponent_views(features: Read, text: str, view: str) -> None:
    assert features(text).opponent_view == view


def test_opponent_subject_with_an_opinion_verb(features: Read) -> None:
    view = features("Opponents of the plan claim that it costs too much.").opponent_view
    assert view is not None
    assert view.startswith("opponents")
    assert view.endswith("claim")


def test_a_named_speaker_arguing_is_not_an_opponent_view(features: Read) -> None:
    f = features("The mayor argues that buses are fast.")
    assert f.opponent_view is None
    assert f.attribution == "mayor argues"


def test_stance_and_hedge_markers(features: Read) -> None:
    stance = features("I believe the plan is sound.")
    assert stance.stance == "i believe"
    assert stance.first_person is True
    hedged = features("Perhaps the plan will fail.")
    assert hedged.hedge == "perhaps"
    assert hedged.stance is None


def test_a_quotation_given_to_a_named_subject_is_attributed(features: Read) -> None:
    f = features('The mayor, Ana Ruiz, made her view plain: "We will not pay for this."')
    assert f.quotation and f.attribution is not None and "Ruiz" in f.attribution


def test_a_quotation_of_unnamed_words_has_no_source(features: Read) -> None:
    assert features('The word "progress" means little here.').attribution is None


def test_or_before_an_example_marker_still_opens_an_example(features: Read) -> None:
    f = features("Or consider the village that closed its only bridge last winter.")
    assert f.opener == ("example", "consider")


def test_a_negated_reporting_verb_is_not_attribution(features: Read) -> None:
    assert features("The council has not explained why the fees keep rising.").attribution is None
    assert features("The council explained that the fees pay for repairs.").attribution is not None


def test_a_doubling_is_a_statistic_even_without_digits(features: Read) -> None:
    assert features("Spending on consultants doubled in two years.").statistic is not None
