"""Find discourse cues in a unit's tokens: connectives, modals, attribution, numbers.

Pure functions over spaCy tokens that turn a unit into ``Features``: plain
data the classifier and linker reason over. Each feature keeps the words that
produced it and where they are (``Features.spans``), so a decision can always
say which cue it used and point at it in the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from argmap.lexicon import Phrases, load_lexicon, phrases

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Features", "extract_features", "match_at", "opening_connective"]

_Found = tuple[str, "Token", "Token"]
"""What a detector found: its words, and the first and last token they span."""

_QUOTE_CHARS = '"“”«»'
_YEAR = re.compile(r"^(1[5-9]|20)\d\d s?$|^(1[5-9]|20)\d0s$|^'\d0s$".replace(" ", ""))
_DIGIT = re.compile(r"\d")
_FIGURE = re.compile(r"^[$€£]?\d[\d,.]*(%|k|m|bn|st|nd|rd|th)?$", re.I)
_MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
_NUMBERING = {"#", "no", "number", "step", "part", "chapter", "myth", "point", "rule", "lesson"}
"""Words before a number that make it a label in a list ("Myth #1", "Step 2"), not a figure."""
_SUBORDINATORS = {"although", "though", "even though", "even if", "certainly"}
_CONNECTIVE_ORDER = (
    "enumeration",
    "concession",
    "example",
    "conclusion",
    "contrast",
    "reason",
    "restatement",
    "addition",
)


@dataclass(frozen=True)
class Features:
    """What a unit says about its own role, each with the words that showed it."""

    opener: tuple[str, str] | None
    """(category, connective) at the start of the unit, e.g. ("contrast", "however")."""
    deontic: str | None
    prohibitive: str | None
    imperative: str | None
    question: bool
    rhetorical_recommendation: str | None
    quotation: bool
    quote_share: float
    attribution: str | None
    opponent_view: str | None
    statistic: str | None
    example: str | None
    stance: str | None
    conclusion: str | None
    """A conclusion adverb anywhere in the unit ("X is therefore Y")."""
    evaluative: str | None
    """An evaluative predicate ("is unfair", "would be wise"): a judgement, not a report."""
    hedge: str | None
    first_person: bool
    content_lemmas: frozenset[str]
    word_count: int
    spans: Mapping[str, tuple[int, int]] = field(default_factory=dict, hash=False)
    """Where each found feature is, by field name, as character offsets (see
    ``extract_features``); a feature made of words apart, such as subject and verb,
    spans both."""


def _words(tokens: Sequence[Token]) -> list[str]:
    return [t.lower_.replace("’", "'") for t in tokens]


def match_at(words: Sequence[str], index: int, entries: tuple[tuple[str, ...], ...]) -> str | None:
    """The longest lexicon entry that starts at ``words[index]``, or None."""
    entry = _entry_at(words, index, entries)
    return " ".join(entry) if entry is not None else None


def _entry_at(
    words: Sequence[str], index: int, entries: tuple[tuple[str, ...], ...]
) -> tuple[str, ...] | None:
    if index >= len(words):
        return None
    if isinstance(entries, Phrases):
        entries = entries.starting_with(words[index])
    for entry in entries:
        if tuple(words[index : index + len(entry)]) == entry:
            return entry
    return None


def _find_in(
    tokens: Sequence[Token], words: Sequence[str], entries: tuple[tuple[str, ...], ...]
) -> _Found | None:
    """The first lexicon entry anywhere in ``words`` (longest at that position), with the
    tokens it covers (``words[i]`` is ``tokens[i]``'s)."""
    if isinstance(entries, Phrases):
        index = entries.by_first
        starts = [i for i, word in enumerate(words) if word in index]
    else:
        starts = list(range(len(words)))
    for i in starts:
        entry = _entry_at(words, i, entries)
        if entry:
            return " ".join(entry), tokens[i], tokens[i + len(entry) - 1]
    return None


def _content(tokens: Sequence[Token]) -> list[Token]:
    return [t for t in tokens if not (t.is_punct or t.is_space or t.is_quote)]


def opening_connective(tokens: Sequence[Token]) -> tuple[str, str] | None:
    """The connective a unit opens with and its category, skipping quotes and dashes.

    Only the first words count: a connective deep inside a clause usually
    relates that clause's parts, not the unit to its neighbours.
    """
    found = _opening(tokens)
    return (found[0], found[1][0]) if found else None


def _opening(tokens: Sequence[Token]) -> tuple[str, _Found] | None:
    content = _content(tokens)[:6]
    words = _words(content)
    if not words:
        return None
    for category in _CONNECTIVE_ORDER:
        at = 0
        entry = _entry_at(words, 0, phrases("connectives", category))
        if entry is None and words[0] in {"and", "or"} and len(words) > 1:
            at, entry = 1, _entry_at(words, 1, phrases("connectives", category))
        if entry is not None and not _is_false_opener(" ".join(entry), tokens):
            return category, (" ".join(entry), content[at], content[at + len(entry) - 1])
    return None


def _is_false_opener(found: str, tokens: Sequence[Token]) -> bool:
    """Connectives that are ambiguous at the start of a clause ("so many", "as a rule")."""
    content = _content(tokens)
    first = content[1] if content[0].lower_ in {"and", "or"} and len(content) > 1 else content[0]
    if found in {"as", "since", "for", "so", "still", "take", "consider", "rather", "true", "sure"}:
        nxt = first.nbor(1) if first.i + 1 < len(first.doc) else None
        if found == "so" and nxt is not None and nxt.pos_ in {"ADJ", "ADV"}:
            return True
        if found in {"as", "since", "for"} and first.dep_ not in {"mark", "cc", "advmod"}:
            return True
        if found in {"take", "consider"} and first.pos_ != "VERB":
            return True
        if found in {"still", "rather", "true", "sure"} and nxt is not None and nxt.pos_ != "PUNCT":
            return found != "still" or nxt.pos_ in {"ADJ", "ADV"}
    return found == "and" and len(_content(tokens)) < 2


_FRAMES = {"it", "that", "this", "there"}
_SUBORDINATE_DEPS = {"advcl", "relcl", "acl", "csubj", "pcomp", "pobj", "amod"}


def _in_main_clause(verb: Token) -> bool:
    """Whether a verb heads the unit's main clause (or a clause coordinated with it).

    A modal inside "... that tenants have to pay" reports an obligation; only a
    modal in the main clause makes the unit itself a call to action.
    """
    node = verb
    while node.dep_ == "conj" and node.head is not node:
        node = node.head
    if node.dep_ in {"ccomp", "advcl"} and node.head.dep_ == "ROOT":
        subject = [c for c in node.head.children if c.dep_ in {"nsubj", "expl"}]
        frame = subject[0].lower_ if subject else ""
        # "I think we should ...", "That's why we should ...", "It is clear that we must ..."
        return frame in {"i", "we"} or (node.head.lemma_ == "be" and frame in _FRAMES)
    return node.dep_ == "ROOT" or node.dep_ not in _SUBORDINATE_DEPS | {"ccomp", "xcomp"}


def _needs_something(tok: Token) -> bool:
    """ "We need a new plan", "The city needs to act": necessity as a demand."""
    if tok.lower_ not in {"need", "needs"}:
        return False
    if tok.dep_ == "aux" and tok.head.dep_ == "ROOT" and tok.i + 1 < len(tok.doc):
        # "The street needs protected lanes": parsed as an auxiliary, read as the verb it is.
        subjects = [c for c in (*tok.children, *tok.head.children) if c.dep_ == "nsubj"]
        return tok.nbor(1).lower_ != "to" and bool(subjects)
    if tok.pos_ != "VERB" or tok.dep_ != "ROOT":
        return False
    deps = {c.dep_ for c in tok.children}
    return "nsubj" in deps and bool(deps & {"dobj", "xcomp"})


def _deontic(tokens: Sequence[Token], words: Sequence[str]) -> _Found | None:
    phrase = _find_in(tokens, words, phrases("roles", "deontic_phrases"))
    if phrase:
        return phrase
    modals = set(load_lexicon("roles")["deontic_modals"])
    advising = set(load_lexicon("roles")["recommendation_verbs"])
    for tok in tokens:
        lower = tok.lower_
        if tok.tag_ == "MD" and lower in modals and _in_main_clause(tok.head):
            return lower, tok, tok
        if lower in {"need", "needs", "have", "has"} and tok.i + 1 < len(tok.doc):
            nxt = tok.nbor(1)
            hypothetical = tok.i > 0 and tok.nbor(-1).tag_ == "MD"
            if (
                nxt.lower_ == "to"
                and nxt.head.pos_ in {"VERB", "AUX"}
                and nxt.head.i > nxt.i
                and _in_main_clause(tok)
                and not hypothetical
            ):
                return f"{lower} to", tok, nxt
        if _needs_something(tok):
            return tok.lower_, tok, tok
        if tok.lemma_ in advising and tok.pos_ == "VERB":
            subject = [c for c in tok.children if c.dep_ == "nsubj"]
            if subject and subject[0].lower_ in {"i", "we"}:
                return f"{subject[0].text} {tok.text}", subject[0], tok
    return None


def _imperative(tokens: Sequence[Token]) -> _Found | None:
    content = _content(tokens)
    if not content:
        return None
    first = content[0]
    if first.lower_ in {"please", "let", "don't"} and first.i + 1 < len(first.doc):
        return first.lower_, first, first
    has_subject = any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in tokens)
    if first.tag_ == "VB" and first.dep_ == "ROOT" and not has_subject:
        return first.lower_, first, first
    return None


def _statistic(tokens: Sequence[Token], words: Sequence[str]) -> _Found | None:
    """The first figure in the unit that is a quantity, not a date or a year."""
    quantity = phrases("roles", "quantity_words")
    quantity_words = {entry[0] for entry in quantity if len(entry) == 1}
    for tok in tokens:
        if _is_figure(tok, quantity_words):
            return tok.text, tok, tok
    return _find_in(tokens, words, _proportion_words())


@cache
def _proportion_words() -> Phrases:
    """Quantity words that make a statistic on their own ("a majority", "percent")."""
    quantity = phrases("roles", "quantity_words")
    standalone = {"percent", "%", "majority", "doubled", "tripled", "halved", "twice"}
    return Phrases([e for e in quantity if e[0] in standalone])


def _is_figure(tok: Token, quantity_words: set[str]) -> bool:
    has_digit = bool(_DIGIT.search(tok.text))
    if not (has_digit or tok.like_num) or _YEAR.match(tok.text):
        return False
    if has_digit and not _FIGURE.match(tok.text):
        return False
    before = tok.nbor(-1).lower_.rstrip(".") if tok.i > 0 else ""
    after = tok.nbor(1).lower_.rstrip(".") if tok.i + 1 < len(tok.doc) else ""
    if before in _MONTHS or after in _MONTHS or before in _NUMBERING:
        return False
    if has_digit or after in quantity_words:
        return True
    following = [t.lower_ for t in tok.doc[tok.i : tok.i + 3]]
    return match_at(following, 0, phrases("roles", "quantity_words")) is not None


def _quote_share(tokens: Sequence[Token]) -> tuple[bool, float]:
    """Whether the unit contains a quotation, and which share of its words is quoted."""
    inside = False
    quoted = total = 0
    seen_quote = False
    for tok in tokens:
        if tok.text in _QUOTE_CHARS or tok.text in {"``", "''"}:
            seen_quote = True
            inside = tok.text not in {"”", "''", "»"} and not (tok.text == '"' and inside)
            continue
        if tok.is_punct or tok.is_space:
            continue
        total += 1
        quoted += inside
    return seen_quote, (quoted / total if total else 0.0)


def _attribution(tokens: Sequence[Token], words: Sequence[str]) -> _Found | None:
    phrase = _find_in(tokens, words, phrases("roles", "attribution_phrases"))
    if phrase:
        return phrase
    reporting = set(load_lexicon("roles")["reporting_verbs"])
    finding = set(load_lexicon("roles")["finding_verbs"])
    nouns = set(load_lexicon("roles")["evidence_nouns"])
    for tok in tokens:
        if any(c.dep_ == "neg" for c in tok.children):
            continue  # "the board has not explained why": a claim about them, not their words
        if tok.lemma_ in finding and tok.pos_ == "VERB":
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if any(s.lemma_ in nouns or s.pos_ == "PROPN" for s in subjects):
                return _pair(subjects[0], tok)
        if tok.lemma_ in reporting and tok.pos_ == "VERB":
            subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if any(_is_third_party(s) for s in subjects):
                return _pair(subjects[0], tok)
            if not subjects and tok.dep_ in {"relcl", "acl"} and _is_third_party(tok.head):
                return _pair(tok.head, tok)
    return None


def _pair(first: Token, second: Token) -> _Found:
    """Two words apart ("X said"), spanning from the earlier to the later."""
    a, b = sorted((first, second), key=lambda t: t.i)
    return f"{first.text} {second.text}", a, b


def _quoted_source(tokens: Sequence[Token]) -> _Found | None:
    """A named subject a quotation is given to: "Senator X made it clear: '...'"."""
    for tok in tokens:
        if tok.text in _QUOTE_CHARS:
            break
        main_clause = tok.head.dep_ == "ROOT" or (
            tok.head.dep_ == "ccomp" and tok.head.head.dep_ == "ROOT"
        )
        if (
            tok.dep_ in {"nsubj", "nsubjpass"}
            and main_clause
            and any(t.pos_ == "PROPN" for t in tok.subtree)
        ):
            name = [t for t in tok.subtree if t.pos_ == "PROPN"][-2:]
            return f"{' '.join(t.text for t in name)} (quoted)", name[0], name[-1]
    return None


def _is_third_party(subject: Token) -> bool:
    if subject.lower_ in {"i", "we", "you", "it", "this", "that", "which", "they", "there"}:
        return False
    return subject.pos_ in {"PROPN", "NOUN", "PRON"} and subject.lower_ not in {"one"}


@cache
def _word_set(category: str) -> frozenset[str]:
    """A category of the roles lexicon as a set, built once."""
    return frozenset(load_lexicon("roles")[category])


def _rejected_view_label(tokens: Sequence[Token]) -> _Found | None:
    """A view labelled as false before it is stated: "Myth #1: …", "The myth that …".

    Reads the unit's own tokens with their punctuation (the colon matters).
    """
    if not tokens:
        return None
    doc = tokens[0].doc
    content = [t for t in doc[tokens[0].i : tokens[-1].i + 1] if not t.is_space][:6]
    words = [t.lower_ for t in content]
    labels = _word_set("rejected_view_labels")
    for k, word in enumerate(words[:3]):
        if word not in labels and (k + 1 >= len(words) or f"{word} {words[k + 1]}" not in labels):
            continue
        rest = words[k + 1 :]
        if ":" in rest[:4] or rest[:1] == ["that"] or (rest[:1] == ["is"] and k > 0):
            end = content[
                min(len(content) - 1, k + 1 + (rest.index(":") if ":" in rest[:4] else 0))
            ]
            return " ".join(words[: k + 1]), content[0], end
    return None


def _opponent_view(tokens: Sequence[Token], opener: tuple[str, _Found] | None) -> _Found | None:
    """A view the author reports in order to answer it: "Admittedly", "Critics argue"."""
    if opener and opener[0] == "concession" and opener[1][0] not in _SUBORDINATORS:
        return opener[1]
    labelled = _rejected_view_label(tokens)
    if labelled is not None:
        return labelled
    subjects = phrases("roles", "opponent_subjects")
    opinion = _word_set("opinion_verbs")
    for tok in tokens[:12]:
        if tok.lemma_ not in opinion or tok.pos_ != "VERB":
            continue
        for subj in (c for c in tok.children if c.dep_ == "nsubj"):
            subtree = list(subj.subtree)
            span = [t.lower_ for t in subtree]
            if match_at(span, 0, subjects):
                first, last = sorted((subtree[0], tok), key=lambda t: t.i)
                return f"{' '.join(span[:3])} {tok.text}", first, last
    return None


def extract_features(tokens: Sequence[Token], *, origin: int = 0) -> Features:
    """Read every cue of a unit from its tokens (pure, no model calls).

    ``origin`` is where the first token starts in the source text, so that
    ``Features.spans`` are source offsets (without it, offsets from the unit's start).
    """
    words = _words(tokens)
    content = _content(tokens)
    opening = _opening(tokens)
    opener = (opening[0], opening[1][0]) if opening else None
    quotation, share = _quote_share(tokens)
    question = any(t.text == "?" for t in tokens[-3:])
    rhetorical: _Found | None = None
    if question:
        entry = _entry_at(_words(content), 0, phrases("roles", "question_recommendation"))
        rhetorical = (" ".join(entry), content[0], content[len(entry) - 1]) if entry else None
    example = opening[1] if opening and opening[0] == "example" else None
    if example is None:
        example = _find_in(tokens[:8], words[:8], phrases("roles", "example_nouns"))
    attribution = _attribution(tokens, words) or (_quoted_source(tokens) if quotation else None)
    found: dict[str, _Found | None] = {
        "opener": opening[1] if opening else None,
        "deontic": _deontic(tokens, words),
        "prohibitive": _find_in(tokens, words, phrases("roles", "prohibitive_phrases")),
        "imperative": None if question else _imperative(tokens),
        "rhetorical_recommendation": rhetorical,
        "attribution": attribution,
        "opponent_view": _opponent_view(content, opening),
        "statistic": _statistic(tokens, words),
        "example": example,
        "stance": _find_in(tokens, words, phrases("roles", "stance_markers")),
        "conclusion": _find_in(tokens, words, phrases("connectives", "conclusion_adverbs")),
        "evaluative": _find_in(tokens, words, phrases("roles", "evaluative")),
        "hedge": _find_in(tokens, words, phrases("roles", "hedges")),
    }
    base = tokens[0].idx if tokens else 0
    spans = {
        name: (origin + hit[1].idx - base, origin + hit[2].idx + len(hit[2].text) - base)
        for name, hit in found.items()
        if hit is not None
    }
    text = {name: hit[0] if hit else None for name, hit in found.items()}
    return Features(
        opener=opener,
        deontic=text["deontic"],
        prohibitive=text["prohibitive"],
        imperative=text["imperative"],
        question=question,
        rhetorical_recommendation=text["rhetorical_recommendation"],
        quotation=quotation,
        quote_share=share,
        attribution=text["attribution"],
        opponent_view=text["opponent_view"],
        statistic=text["statistic"],
        example=text["example"],
        stance=text["stance"],
        conclusion=text["conclusion"],
        evaluative=text["evaluative"],
        hedge=text["hedge"],
        first_person=any(w in {"i", "we", "my", "our", "us", "me"} for w in words),
        content_lemmas=frozenset(
            t.lemma_.lower() for t in content if not t.is_stop and (t.is_alpha or t.like_num)
        ),
        word_count=len(content),
        spans=spans,
    )
