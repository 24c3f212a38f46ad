"""Cut prose into argumentative units: sentences, split at discourse connectives.

A sentence such as "X, because Y" or "Although X, Y" makes two claims joined
by a relation, so it becomes two units; the connective that joined them is
kept so the linker can say why the two are related.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from argmap.cues import match_at
from argmap.lexicon import phrases
from argmap.reader import SourceDocument

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Segment", "segment_units", "segments_from_offsets"]

_MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True)
class Segment:
    """A unit-to-be: a span of the source with its tokens and its context."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    block: int
    sentence: int
    split_cue: str | None = None
    """The connective where this segment was split off its sentence, if any."""
    quoted: bool = False


def segment_units(source: SourceDocument, docs: Sequence[Doc]) -> list[Segment]:
    """Units from parsed blocks (``docs[i]`` is the parse of ``source.blocks[i]``)."""
    segments: list[Segment] = []
    sentence_index = 0
    for block_index, (block, doc) in enumerate(zip(source.blocks, docs, strict=True)):
        for sent in doc.sents:
            for first, last, cue in _split_sentence(sent):
                tokens = tuple(t for t in doc[first:last] if not t.is_space)
                if not any(not t.is_punct for t in tokens):
                    continue
                start = block.start + tokens[0].idx
                end = block.start + tokens[-1].idx + len(tokens[-1].text)
                start, end = _trim_markup(source, start, end)
                segments.append(
                    Segment(start, end, tokens, block_index, sentence_index, cue, block.quoted)
                )
            sentence_index += 1
    return _merge_fragments(segments)


def segments_from_offsets(
    source: SourceDocument, offsets: Sequence[tuple[int, int]], docs: Sequence[Doc]
) -> list[Segment]:
    """Units exactly at given offsets (``docs[i]`` is the parse of segment i).

    Used when segmentation is fixed from outside (evaluation, corrections);
    a segment that continues the previous one's sentence is marked as split.
    """
    segments: list[Segment] = []
    sentence_index = 0
    starts = [block.start for block in source.blocks]
    for index, ((start, end), doc) in enumerate(zip(offsets, docs, strict=True)):
        previous = source.text[offsets[index - 1][0] : offsets[index - 1][1]] if index else ""
        continues = bool(previous.rstrip()) and previous.rstrip()[-1] not in ".!?\"”'’)"
        if index and not continues:
            sentence_index += 1
        tokens = tuple(t for t in doc if not t.is_space)
        cue = _opening_split_cue(tokens) if continues else None
        block = _block_index(source, start, starts)
        segments.append(Segment(start, end, tokens, block, sentence_index, cue))
    return segments


def _block_index(source: SourceDocument, offset: int, starts: Sequence[int]) -> int:
    """The block holding ``offset`` (0 when none does), found by bisection over ``starts``.

    Blocks are in document order and never overlap, so the only candidate is
    the last block starting at or before the offset.
    """
    index = bisect_right(starts, offset) - 1
    if index >= 0 and offset < source.blocks[index].end:
        return index
    return 0


def _opening_split_cue(tokens: Sequence[Token]) -> str | None:
    words = [t.lower_ for t in tokens if not t.is_punct][:4]
    categories = ("split_subordinate", "split_coordinate", "split_after_comma")
    return next(
        (cue for c in categories if (cue := match_at(words, 0, phrases("connectives", c)))),
        None,
    )


@cache
def _split_openers() -> frozenset[str]:
    """Words a cut can start at: the first words of the splitting connectives, and ';'."""
    categories = ("split_subordinate", "split_coordinate", "split_after_comma")
    return frozenset({";"}.union(*(phrases("connectives", c).by_first for c in categories)))


def _split_sentence(sent: Span) -> list[tuple[int, int, str | None]]:
    """Token ranges of a sentence's units, each with the connective that split it off."""
    cuts: list[tuple[int, str]] = []
    openers = _split_openers()
    for tok in sent:
        if tok.lower_ not in openers:
            continue
        cut = (
            _subordinate_cut(tok, sent)
            or _coordinate_cut(tok, sent)
            or _comma_connective_cut(tok, sent)
            or _comma_clause_cut(tok, sent)
            or _semicolon_cut(tok, sent)
        )
        if cut is not None:
            cuts.append(cut)
    ranges: list[tuple[int, int, str | None]] = []
    start, cue = sent.start, None
    for position, connective in sorted(set(cuts)):
        if _clause_words(sent.doc[start:position]) >= _MIN_CLAUSE_WORDS and (
            _clause_words(sent.doc[position : sent.end]) >= _MIN_CLAUSE_WORDS
        ):
            ranges.append((start, position, cue))
            start, cue = position, connective
    ranges.append((start, sent.end, cue))
    return ranges


def _clause_words(span: Span) -> int:
    return sum(1 for t in span if not (t.is_punct or t.is_space))


def _has_verb(tokens: Span | Sequence[Token]) -> bool:
    return any(t.pos_ in {"VERB", "AUX"} for t in tokens)


def _subordinate_cut(tok: Token, sent: Span) -> tuple[int, str] | None:
    """ "X, because Y" / "Although X, Y": cut where the adverbial clause begins or ends."""
    if tok.dep_ not in {"mark", "advmod", "prep"} or tok.head.dep_ not in {
        "advcl",
        "ccomp",
        "prep",
    }:
        return None
    words = [t.lower_ for t in sent.doc[tok.i : tok.i + 3]]
    connective = match_at(words, 0, phrases("connectives", "split_subordinate"))
    if connective is None:
        return None
    clause = tok.head if tok.head.dep_ == "advcl" else tok.head.head
    if clause.dep_ != "advcl" or not _has_verb(list(clause.subtree)):
        return None
    left = min(t.i for t in clause.subtree)
    right = max(t.i for t in clause.subtree) + 1
    if left < tok.i:
        left = tok.i
    if left > sent.start:
        return left, connective
    while right < sent.end and sent.doc[right].is_punct:
        right += 1
    return (right, "") if right < sent.end else None


def _coordinate_cut(tok: Token, sent: Span) -> tuple[int, str] | None:
    """ "X, but Y": cut before a coordinator that joins two clauses with their own subjects."""
    if tok.dep_ != "cc" or tok.i == sent.start:
        return None
    words = [t.lower_ for t in sent.doc[tok.i : tok.i + 2]]
    connective = match_at(words, 0, phrases("connectives", "split_coordinate"))
    if connective is None:
        return None
    conjunct = next((c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i), None)
    if conjunct is None or conjunct.pos_ not in {"VERB", "AUX"}:
        return None
    if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in conjunct.children):
        return None
    return tok.i, connective


def _comma_connective_cut(tok: Token, sent: Span) -> tuple[int, str] | None:
    """ "X, so Y" where the parser made Y the main clause: cut at the connective after a comma."""
    if tok.i <= sent.start + 1 or sent.doc[tok.i - 1].text != ",":
        return None
    if tok.dep_ not in {"advmod", "mark", "cc"} or tok.head.i <= tok.i:
        return None
    words = [t.lower_ for t in sent.doc[tok.i : tok.i + 2]]
    connective = match_at(words, 0, phrases("connectives", "split_coordinate"))
    if connective is None or tok.head.pos_ not in {"VERB", "AUX"} or words[1:] == ["that"]:
        return None
    if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in tok.head.children):
        return None
    return tok.i, connective


def _comma_clause_cut(tok: Token, sent: Span) -> tuple[int, str] | None:
    """ "X, and Y" / "X, as Y" / "X, which is why Y": a comma, a connective, a new clause.

    Only after a comma, and only when what follows is a clause (its own subject,
    or a conclusion or addition adverb that makes it a claim of its own).
    """
    if tok.i <= sent.start + 1 or sent.doc[tok.i - 1].text != ",":
        return None
    words = [t.lower_ for t in sent.doc[tok.i : tok.i + 3]]
    connective = match_at(words, 0, phrases("connectives", "split_after_comma"))
    if connective is None:
        return None
    head = tok.head
    if tok.dep_ == "cc":
        head = next((c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i), tok)
    has_subject = head.i > tok.i and any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children
    )
    following = [t.lower_ for t in sent.doc[tok.i + 1 : tok.i + 5]]
    signalled = any(
        match_at(following, k, phrases("connectives", category))
        for k in range(len(following))
        for category in ("conclusion_adverbs", "addition")
        if following[k] not in {"and", "as", "too", "plus"}
    )
    if connective in {"and", "for", "as"} and not (has_subject or signalled):
        return None
    if connective == "as" and tok.dep_ != "mark":
        return None
    return tok.i, connective


def _semicolon_cut(tok: Token, sent: Span) -> tuple[int, str] | None:
    if tok.text != ";" or tok.i + 1 >= sent.end:
        return None
    if _has_verb(sent.doc[sent.start : tok.i]) and _has_verb(sent.doc[tok.i + 1 : sent.end]):
        return tok.i + 1, ";"
    return None


def _trim_markup(source: SourceDocument, start: int, end: int) -> tuple[int, int]:
    """Extend a span over closing markup (``**``, ``_``) that its last word carries."""
    while end < len(source.text) and source.clean[end] == " " and source.text[end] in "*_`":
        end += 1
    return start, end


def _merge_fragments(segments: list[Segment]) -> list[Segment]:
    """Glue a stray fragment (a lone quote mark, "Yes.") to its neighbour in the same block.

    A run of fragments (a column of one-word lines) is glued once, at the end
    of the run: re-joining the growing token tuple per fragment was quadratic.
    """
    groups: list[list[Segment]] = []
    for seg in segments:
        words = sum(1 for t in seg.tokens if not (t.is_punct or t.is_space))
        if groups and words < 2 and groups[-1][0].block == seg.block:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return [_glued(group) for group in groups]


def _glued(group: list[Segment]) -> Segment:
    first = group[0]
    if len(group) == 1:
        return first
    tokens = tuple(t for seg in group for t in seg.tokens)
    return Segment(
        first.start, group[-1].end, tokens, first.block, first.sentence,
        first.split_cue, first.quoted,
    )  # fmt: skip
