"""Named features of each unit: the inputs of the learned scorers.

Every feature is general English or structure, never topic vocabulary: the
discourse cues argmap's rules already detect, the rules' own decisions (so a
learned weight can keep what a rule gets right), the unit's place in the text
(first or last paragraph, first or last unit of its paragraph), closed-class
opening words, modality, mood, tense, numbers and quotation. Words appear in
feature names only from closed lists (spaCy's English stop words, the
connective lexicon, the modal verbs), never whatever a tagger calls a function
word, so no name or topic word of a training text can become a feature and
the weights transfer to topics the training texts never touched.

A unit's features are a plain ``dict[str, float]``: binary features are 1.0
when present and simply absent otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from argmap.lexicon import load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

    from argmap.classify import Classified

__all__ = ["FEATURE_VERSION", "UnitFeatures", "unit_features"]

FEATURE_VERSION = 5
"""Bumped whenever a feature's meaning changes: weights name the version they need."""

UnitFeatures = dict[str, float]

_MODALS = frozenset(
    {"can", "could", "may", "might", "must", "shall", "should", "will", "would", "ought",
     "need", "dare", "'d", "'ll", "wo", "ca"}
)  # fmt: skip
"""The English modal verbs (and the pieces spaCy splits "won't", "can't", "I'd" into):
only these name a feature, never whatever else a tagger calls MD."""
_PERSONS = {"i": "first_singular", "me": "first_singular", "my": "first_singular",
            "we": "first_plural", "us": "first_plural", "our": "first_plural",
            "you": "second", "your": "second"}  # fmt: skip
_CURRENCY = re.compile(r"[$€£¥]")
_YEAR = re.compile(r"^(1[6-9]|20)\d\d$")


def unit_features(
    units: Sequence[Classified],
    thesis_scores: Sequence[float],
    *,
    title_lemmas: frozenset[str] = frozenset(),
) -> list[UnitFeatures]:
    """The features of every unit, in document order.

    ``thesis_scores`` are the rule-based thesis scores (``argmap.thesis``):
    they enter as features, so the learned thesis scorer can lean on them
    where they hold and discount them where they do not.
    """
    if not units:
        return []
    blocks = [u.segment.block for u in units]
    first_block, last_block = blocks[0], blocks[-1]
    top = max(thesis_scores) if thesis_scores else 0.0
    best = thesis_scores.index(top) if thesis_scores else -1
    per_block: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        per_block.setdefault(block, []).append(i)
    block_order = {block: rank for rank, block in enumerate(sorted(per_block))}
    rows: list[UnitFeatures] = []
    total = len(units)
    for i, unit in enumerate(units):
        row: UnitFeatures = {}
        members = per_block[blocks[i]]
        _structure(row, i, total, members, block_order[blocks[i]], len(block_order))
        row["para:first"] = float(blocks[i] == first_block)
        row["para:last"] = float(blocks[i] == last_block and first_block != last_block)
        if i and units[i - 1].segment.sentence == unit.segment.sentence:
            row["sentence:continues"] = 1.0
        _rule_outputs(row, unit, thesis_scores[i] if thesis_scores else 0.0, top, i == best)
        _cues(row, unit)
        _words(row, unit.segment.tokens, title_lemmas)
        _constructions(row, unit.segment.tokens)
        if "construction:imperative" in row and i and _reports(units[i - 1]):
            row["construction:echoed_imperative"] = 1.0
        rows.append({k: v for k, v in row.items() if v})
    return rows


def _structure(
    row: UnitFeatures, i: int, total: int, members: list[int], block_rank: int, blocks: int
) -> None:
    row["position:first_unit"] = float(i == 0)
    row["position:last_unit"] = float(i == total - 1)
    row["position:relative"] = i / max(1, total - 1)
    row["paragraph:relative"] = block_rank / max(1, blocks - 1)
    row["paragraph:single_unit"] = float(len(members) == 1)
    row["paragraph:first_unit"] = float(members[0] == i and len(members) > 1)
    row["paragraph:last_unit"] = float(members[-1] == i and len(members) > 1)
    row["paragraph:middle_unit"] = float(members[0] != i and members[-1] != i)
    row["text:one_paragraph"] = float(blocks == 1)


def _rule_outputs(
    row: UnitFeatures, unit: Classified, score: float, top: float, best: bool
) -> None:
    decision = unit.decision
    row[f"rule_role:{decision.role.value}"] = 1.0
    if decision.evidence_type is not None:
        row[f"rule_evidence:{decision.evidence_type.value}"] = 1.0
    row["rule_thesis:score"] = score / 4.0
    row["rule_thesis:gap_to_best"] = (top - score) / 4.0
    row["rule_thesis:best"] = float(best)


def _cues(row: UnitFeatures, unit: Classified) -> None:
    f = unit.features
    if f.opener is not None:
        row[f"opener:{f.opener[0]}"] = 1.0
        row[f"opener_word:{f.opener[1]}"] = 1.0
    flags = {
        "deontic": f.deontic,
        "prohibitive": f.prohibitive,
        "imperative": f.imperative,
        "question": f.question,
        "rhetorical_recommendation": f.rhetorical_recommendation,
        "quotation": f.quotation,
        "attribution": f.attribution,
        "opponent_view": f.opponent_view,
        "statistic": f.statistic,
        "example": f.example,
        "stance": f.stance,
        "conclusion": f.conclusion,
        "evaluative": f.evaluative,
        "hedge": f.hedge,
        "first_person": f.first_person,
    }
    for name, value in flags.items():
        if value:
            row[f"cue:{name}"] = 1.0
    row["cue:quote_share"] = f.quote_share
    row["length:log_words"] = math.log1p(f.word_count) / 4.0
    row["length:short"] = float(f.word_count <= 5)


def _reports(previous: Classified) -> bool:
    """The unit just before reports someone else's words."""
    f = previous.features
    return bool(f.attribution or f.quotation)


def _constructions(row: UnitFeatures, tokens: Sequence[Token]) -> None:
    """Means-end calls ("X can best Y by Z-ing", "the answer is to Z", "that means Z-ing")
    and imperatives: those that ask the reader to act, and those that only steer
    the reader's attention ("consider …", "just listen to …"); large counts."""
    lexicon = _constructions_lexicon()
    first = next((w for w in tokens if not (w.is_punct or w.is_space)), None)
    for t in tokens:
        dep, tag, lower = t.dep_, t.tag_, t.lower_
        if dep == "ROOT":
            lemma = t.lemma_.lower()
            if _is_imperative(t, first):
                row["construction:imperative"] = 1.0
                if lemma in lexicon["reader_directives"]:
                    row["construction:reader_directive"] = 1.0
        if (lower == "by" or dep == "ROOT") and _means_end(t, lexicon["remedy_nouns"]):
            row["construction:means_end"] = 1.0
        if tag == "CD":
            digits = t.text.replace(",", "")
            if digits.isdigit() and len(digits) >= 4 and not _YEAR.match(digits):
                row["number:large"] = 1.0


def _is_imperative(root: Token, first: Token | None) -> bool:
    """A bare verb opening the sentence (after at most an adverb or a conjunction)."""
    if root.tag_ != "VB" or _has_subject(root) or first is None:
        return False
    return first is root or first.pos_ in {"ADV", "CCONJ", "INTJ"}


def _means_end(t: Token, remedy_nouns: frozenset[str]) -> bool:
    if t.lower_ == "by" and any(c.tag_ == "VBG" for c in t.children):
        modals = {c.lower_ for c in t.head.children if c.tag_ == "MD"}
        return bool(modals & {"can", "could", "will", "would", "should", "must"})
    if t.dep_ != "ROOT":
        return False
    if t.lemma_.lower() == "mean":
        return any(c.tag_ == "VBG" and c.dep_ in {"xcomp", "dobj", "ccomp"} for c in t.children)
    if t.lemma_ == "be":
        subjects = [c for c in t.children if c.dep_ == "nsubj"]
        remedy = any(c.lemma_.lower() in remedy_nouns for c in subjects)
        return remedy and any(
            c.dep_ in {"xcomp", "attr", "ccomp"} and c.tag_ == "VB" for c in t.children
        )
    return False


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)


@cache
def _constructions_lexicon() -> dict[str, frozenset[str]]:
    data = load_lexicon("constructions")
    return {key: frozenset(words) for key, words in data.items()}


def _words(row: UnitFeatures, tokens: Sequence[Token], title_lemmas: frozenset[str]) -> None:
    words = [t for t in tokens if not (t.is_punct or t.is_space or t.is_quote)]
    if words:
        first = words[0]
        if first.is_stop and first.is_alpha:
            row[f"first_word:{first.lower_}"] = 1.0
        row[f"first_pos:{first.pos_}"] = 1.0
    last = next((t for t in reversed(tokens) if not t.is_space and not t.is_quote), None)
    if last is not None and last.text in {"?", "!", ":"}:
        row[f"ends_with:{last.text}"] = 1.0
    propn = 0
    rooted = False
    for t in tokens:
        text, lower, tag, pos, dep = t.text, t.lower_, t.tag_, t.pos_, t.dep_
        if dep == "ROOT" and not rooted:
            rooted = True
            row[f"root_tag:{tag}"] = 1.0
            if not _has_subject(t):
                row["root:no_subject"] = 1.0
        if tag == "MD":
            modal = lower.replace("’", "'")
            if modal in _MODALS:
                row["modal:" + modal] = 1.0
        if lower in _PERSONS:
            row[f"person:{_PERSONS[lower]}"] = 1.0
        if not text.isalpha():
            if t.like_num or any(ch.isdigit() for ch in text):
                row["number:year" if _YEAR.match(text) else "number:figure"] = 1.0
            if text == "%":
                row["number:percent"] = 1.0
            if _CURRENCY.search(text):
                row["number:currency"] = 1.0
        elif t.like_num:
            row["number:year" if _YEAR.match(text) else "number:figure"] = 1.0
        if lower in {"percent", "per cent"}:
            row["number:percent"] = 1.0
        if pos == "PROPN":
            propn += 1
        if dep == "ROOT" and tag == "VBD":
            row["tense:past"] = 1.0
        if dep == "neg":
            row["negation"] = 1.0
    if words:
        row["proper_noun:share"] = propn / len(words)
    content = {t.lemma_.lower() for t in words if t.is_alpha and not t.is_stop}
    if title_lemmas and content:
        shared = len(content & title_lemmas)
        row["title:shares_words"] = float(shared > 0)
        row["title:overlap"] = shared / len(content)
