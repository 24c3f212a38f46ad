"""nlp: one cached model per process, shared parse batches, long texts parsed in pieces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap import nlp
from argmap.nlp import (
    MAX_PARSE_CHARS,
    load_model,
    loaded_models,
    looks_english,
    parse_groups,
    parse_texts,
    split_for_parsing,
)


def test_load_model_is_cached_by_resolved_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGMAP_MODEL", raising=False)
    assert load_model() is load_model(None) is load_model(nlp.DEFAULT_MODEL)
    assert loaded_models().count(nlp.DEFAULT_MODEL) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=8, max_value=120))
def test_pieces_join_back_and_respect_the_limit(text: str, limit: int) -> None:
    pieces = split_for_parsing(text, limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces)
    assert all(pieces[:-1])


def test_cuts_prefer_sentence_ends_then_spaces() -> None:
    text = "One two three. Four five six seven eight nine ten eleven"
    expected = ["One two three. ", "Four five six seven eight ", "nine ten eleven"]
    assert split_for_parsing(text, 30) == expected
    assert split_for_parsing("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_long_sentence_is_parsed_in_pieces_with_the_same_text_and_offsets() -> None:
    words = ["the", "council", "and", "people", "of", "our", "town", "wants", "more", "trees"]
    text = " ".join(words[i % len(words)] for i in range(3 * MAX_PARSE_CHARS // 5))
    assert len(text) > 2 * MAX_PARSE_CHARS
    (doc,) = parse_texts(load_model(), [text])
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert doc.has_annotation("DEP")
    assert max(len(s) for s in doc.sents) <= MAX_PARSE_CHARS


def test_groups_come_back_in_order_including_empty_ones() -> None:
    groups = [[], ["Trees cool streets."], [], [], ["Buses are cheap.", "Trams are not."], []]
    got = list(parse_groups(groups, nlp=load_model(), batch_size=2))
    assert [[d.text for d in docs] for docs in got] == groups


def test_groups_with_nothing_to_parse_never_load_a_model() -> None:
    assert list(parse_groups([[], []], model="xx_not_installed")) == [[], []]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Our town should light its bike paths, because riders feel unsafe at night.", True),
        ("Short note.", True),  # too short to judge
        ("Unsere Stadt sollte die Radwege nachts beleuchten, weil sich Radfahrer im Dunkeln "
         "unsicher fühlen und Lampen wenig kosten.", False),
        ("Notre ville devrait éclairer ses pistes cyclables la nuit, parce que les cyclistes "
         "se sentent en danger dans le noir.", False),
        ("我们的城市应该在夜间照亮自行车道，因为骑车的人在黑暗中感到不安全。", False),
    ],
)  # fmt: skip
def test_looks_english(text: str, english: bool) -> None:
    assert looks_english(text) is english
