"""The cached attribute ruler and lemmatizer give, token by token, what spaCy's own give.

The corpus is invented here (hand-written sentences and combinations of
short parts), never read from ``../shared``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from argmap import lemmatizer, ruler
from argmap.lemmatizer import CachedLemmatizer, replace_lemmatizer, uses_cached
from argmap.nlp import load_model, parse_groups
from argmap.ruler import CachedAttributeRuler, replace_attribute_ruler, uses_stand_in

HAND_WRITTEN = [
    "I ain't gonna pay for it, and you gotta admit that's fair.",
    "Let's go!  C'mon, y'all, it isn't far.",
    "Y'all shouldn't've said that; we're not gonna forget it.",
    "There is a reason why there are 3 buses at 7:45 a.m. every day.",
    "There's no way, is there? There were 2,500 people and there was one door.",
    "\"Why not?\" she asked. 'Because,' he said.",
    "Dr. Smith and Mrs. O'Neill met Prof. Lee at St. Mary's on Jan. 5th, 2021.",
    "The U.S. and the U.K. spent $4.5 million (about 12%) on e-mail.",
    "Don't touch that!  Please close the door, then sit down.",
    "Can't you see? Won't they come? Shan't we try? Didn't it work?",
    "It'd be nice if you'd call; I'll wait, and she'll've left by then.",
    "The well-known, long-term, so-called plan is half-baked.",
    "Anna's dog and the Johnsons' cat aren't friends; the dog's bark is loud.",
    "He said:\n\nwe must act now.\n\n\tOthers disagree.",
    "Whom did you see, and whose book is this?",
    "Run, hide, or fight — the choice is yours…",
    "Ms. Park's 1990s-era car cost £3,000, or €3.500 in 2001.",
    "Read chapters 1-3 (pp. 10-45) before Mon., e.g. by 9 p.m.",
    "I'm sure you're right, but they've said we'd lose.",
    "Gimme that, lemme see, and wanna come along?",
    "Nobody knows whether it'll rain; maybe it won't.",
    "Is it true that cities with more parks have fewer crimes?",
    "Never again will we let this happen, will we?",
    "The children's toys were put away by their parents.",
    "Being tired, she nonetheless finished the 10k race in 42:17.",
    "Ought we to ask? Need I say more? Dare he try?",
    "#1 priority: fix the roads!!! Then, maybe, the bridges???",
    "'Tis the season, 'cause everyone's out shopping.",
    "E.g., i.e., etc., vs. and cf. are abbreviations.",
    "Contact info@example.org or visit https://example.org/page?x=1 today.",
    "Their decision—taken in haste—cost 200 jobs.",
    "Ain't nobody got time for that, innit?",
    "We gotta go, 'cause it's gonna rain cats 'n' dogs.",
    "There ain't no reason there'd be trouble.",
    "She's been working since 8; he's got two jobs.",
    "What's up? Who's there? Where'd they go? How's it going?",
    "NASA's and the EU's budgets differ by 30 percent.",
    "Mr. Brown, Jr. owes the IRS $1,200.50.",
    "Twenty-one students, forty-two books, and one-third of the staff.",
    "If I were you, I would've left; had I known, I'd have stayed.",
    "Give me the keys, tell him and her, then call us or them.",
    "That bike is mine, not his or hers; the red ones are ours, yours or theirs.",
    "I did it myself, you did it yourself, and they did it themselves.",
    "She taught herself, he fooled himself, and the town governs itself.",
    "We ourselves saw it, and you yourselves know its price.",
    "My sister, your cousin, his uncle and her aunt sold its parts.",
    "Something happened, anyone could see it, and nothing changed.",
    "Someone said everything was fine, but somebody lied and anybody knows.",
    "An apple, these pears and the best, fastest, most expensive car.",
    "She runs faster and works harder, but he tries the hardest of all.",
    "All the people who came, which was many, said that it was here once.",
    "Can we? Could they? May I? Might she? Shall we?",
    "I've had enough, 'nuff said, and I'd seen 'em before.",
    "He was doin' fine and goin' home, with nothin' but his ol' hat.",
    "Somethin' tells me they'll find 'em nothin' but trouble.",
    "But then, she smiled; but he did not.",
    "They invited you and me, and the letter was for I and you.",
    "1. Buy milk 2. Call Sam 3. Pay the #4 bill",
    "The “best” plan, she wrote, is “the cheapest one.”",
    "Such a big house, quite a lot, both the girls and half the pie.",
    "What he said, whatever it was, and whichever you choose.",
]

SUBJECTS = ["I", "You", "She", "They", "The mayor", "Our school", "Tom's sister", "Everybody"]
VERBS = [
    "can't stop",
    "won't accept",
    "shouldn't ignore",
    "is gonna change",
    "has been reading",
    "would've liked",
    "must not forget",
    "doesn't need",
    "didn't see",
    "ain't got",
    "might support",
    "will reject",
]
OBJECTS = [
    "the 3 new rules",
    "a well-designed plan",
    "Mr. Lee's proposal",
    "what's coming",
    "the U.N.'s report",
    "about 40% of it",
    '"free" lunches',
    "those long-term costs",
]
ENDINGS = [".", "!", "?", ", right?", "; don't they?", " (at least in 2020)."]
OPENINGS = [
    "Let's ",
    "Please ",
    "Don't ",
    "Never ",
    "C'mon, ",
    "Y'all should ",
    "Why don't we ",
    "There's no need to ",
    "There are reasons to ",
    "Gotta ",
]
ACTIONS = ["vote", "read the fine print", "ask Dr. Kim", "stop", "write it down", "go home"]


def corpus() -> Iterator[str]:
    """Several hundred invented sentences of varied grammar."""
    yield from HAND_WRITTEN
    for i, (s, v, o) in enumerate(itertools.product(SUBJECTS, VERBS, OBJECTS)):
        if i % 3 == 0:
            yield f"{s} {v} {o}{ENDINGS[i % len(ENDINGS)]}"
    for opening, action in itertools.product(OPENINGS, ACTIONS):
        yield f"{opening}{action}!"
    for n, word in itertools.product(["1", "2.5", "1,000", "one", "twenty-two"], ["dog", "day"]):
        yield f"We waited {n} {word}s, didn't we?  Yes -- we did."


def _rows(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _compare(stock: Language, mine: Language, texts: list[str]) -> int:
    tokens = 0
    for expected, got in zip(stock.pipe(texts), mine.pipe(texts), strict=True):
        assert _rows(got) == _rows(expected), got.text
        tokens += len(got)
    return tokens


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_model(stock=True)


@pytest.fixture(scope="module")
def mine() -> Language:
    return load_model()


def test_the_default_model_gets_the_stand_ins(stock: Language, mine: Language) -> None:
    assert uses_stand_in(mine) and not uses_stand_in(stock)
    assert uses_cached(mine) and not uses_cached(stock)
    assert mine.pipe_names == stock.pipe_names
    stand_in = mine.get_pipe("attribute_ruler")
    assert isinstance(stand_in, CachedAttributeRuler)
    assert stand_in.patterns == stock.get_pipe("attribute_ruler").patterns
    assert set(stand_in.key_attrs) <= {"LOWER", "TAG", "DEP", "IS_SPACE", "ORTH", "NORM", "POS"}
    assert 0 < stand_in.matcher_patterns < 20 and not stand_in.whole_doc


def test_tags_pos_morph_lemmas_and_deps_are_spacys(stock: Language, mine: Language) -> None:
    texts = list(corpus())
    assert len(texts) >= 300
    assert _compare(stock, mine, texts) > 4000


def test_argmaps_batches_parse_as_spacy_does(stock: Language, mine: Language) -> None:
    texts = list(corpus())
    groups = [texts[i : i + 3] for i in range(0, len(texts), 3)]
    parsed = [doc for group in parse_groups(groups, nlp=mine) for doc in group]
    for got, expected in zip(parsed, stock.pipe(texts), strict=True):
        assert _rows(got) == _rows(expected)
        assert [t.head.i for t in got] == [t.head.i for t in expected]


def test_a_full_cache_starts_over_and_stays_exact(
    stock: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ruler, "MAX_CACHED", 5)
    stand_in = CachedAttributeRuler(stock.vocab)
    stand_in.add_patterns(stock.get_pipe("attribute_ruler").patterns)
    lemmatizer = stock.get_pipe("lemmatizer")
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        parsed = list(stock.pipe(HAND_WRITTEN))
    for doc, expected in zip(parsed, stock.pipe(HAND_WRITTEN), strict=True):
        assert _rows(lemmatizer(stand_in(doc))) == _rows(expected)
    assert all(len(c) <= 5 for c in (stand_in._effects, stand_in._accepted, stand_in._merged))


def _tiny(patterns: list[dict[str, object]]) -> tuple[Language, Language]:
    """Two blank pipelines with the same ruler; the second gets the stand-in."""
    pipelines = []
    for _ in range(2):
        nlp = spacy.blank("en")
        nlp.add_pipe("attribute_ruler").add_patterns(patterns)
        pipelines.append(nlp)
    return pipelines[0], replace_attribute_ruler(pipelines[1])


def test_later_rules_win_and_multi_token_patterns_are_anchored() -> None:
    patterns: list[dict[str, object]] = [
        {"patterns": [[{"LOWER": "go"}]], "attrs": {"LEMMA": "first", "POS": "VERB"}},
        {"patterns": [[{"LOWER": "let"}, {"LOWER": "go"}]], "attrs": {"LEMMA": "x"}, "index": -1},
        {"patterns": [[{"LOWER": {"IN": ["go", "went"]}}]], "attrs": {"LEMMA": "go"}},
        {"patterns": [[{"LOWER": "we"}, {"IS_PUNCT": True}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
        {"patterns": [[{"LOWER": "go"}, {"LOWER": "w3"}]], "attrs": {"LEMMA": "late"}},
    ] + [{"patterns": [[{"LOWER": f"w{i}"}]], "attrs": {"LEMMA": f"l{i}"}} for i in range(8)]
    stock, mine = _tiny(patterns)
    assert uses_stand_in(mine) and not mine.get_pipe("attribute_ruler").whole_doc
    texts = ["Let go, we. Go  let go w3 went we w7", "let", "", "go let go let go w3"]
    found = []
    for expected, got in zip(stock.pipe(texts), mine.pipe(texts), strict=True):
        assert [(t.lemma_, t.pos_) for t in got] == [(t.lemma_, t.pos_) for t in expected]
        found += [(t.lower_, t.lemma_, t.pos_) for t in got]
    assert {("go", "go", "VERB"), ("go", "late", "VERB"), ("we", "", "PRON")} <= set(found)
    assert ("we", "", "") in found and ("w3", "l3", "") in found


def test_a_pattern_that_cannot_be_anchored_runs_on_the_whole_doc() -> None:
    patterns: list[dict[str, object]] = [
        {"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], "attrs": {"LEMMA": "v"}},
        {"patterns": [[{"LENGTH": 4}]], "attrs": {"POS": "NOUN"}},
    ] + [{"patterns": [[{"LOWER": f"w{i}"}]], "attrs": {"LEMMA": f"l{i}"}} for i in range(8)]
    stock, mine = _tiny(patterns)
    assert uses_stand_in(mine) and mine.get_pipe("attribute_ruler").whole_doc
    texts = ["very very good w1 food", "good very", "this w2 good"]
    for expected, got in zip(stock.pipe(texts), mine.pipe(texts), strict=True):
        assert [(t.lemma_, t.pos_) for t in got] == [(t.lemma_, t.pos_) for t in expected]


def test_rules_it_cannot_reproduce_keep_spacys_ruler() -> None:
    from spacy.tokens import Token

    Token.set_extension("argmap_test_flag", default=False, force=True)
    extension = [{"patterns": [[{"LOWER": "a"}]], "attrs": {"_": {"argmap_test_flag": True}}}]
    _, mine = _tiny(extension)  # type: ignore[arg-type]
    assert not uses_stand_in(mine)
    mostly_multi: list[dict[str, object]] = [
        {"patterns": [[{"LOWER": "a"}, {"LOWER": "b"}]], "attrs": {"LEMMA": "ab"}}
    ]
    _, mine = _tiny(mostly_multi)
    assert not uses_stand_in(mine)


def test_the_lemma_cache_is_bounded_and_spacys_tables_stay_lists(
    stock: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lemmatizer, "MAX_CACHED", 5)
    original = stock.get_pipe("lemmatizer")
    stand_in = CachedLemmatizer(stock.vocab)
    stand_in.wrap(original)  # type: ignore[arg-type]
    with stock.select_pipes(disable=["lemmatizer"]):
        parsed = list(stock.pipe(HAND_WRITTEN))
    for doc, expected in zip(parsed, stock.pipe(HAND_WRITTEN), strict=True):
        assert _rows(stand_in(doc)) == _rows(expected)
    assert len(stand_in._cache) <= 5
    index = original.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    assert all(isinstance(words, list) for words in index.values())


def test_lemmatizers_it_cannot_reproduce_stay() -> None:
    untrained = spacy.blank("en")
    untrained.add_pipe("lemmatizer", config={"mode": "rule"})
    assert not uses_cached(replace_lemmatizer(untrained))
    assert not uses_cached(replace_lemmatizer(spacy.blank("en")))
