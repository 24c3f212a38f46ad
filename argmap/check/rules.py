"""The check rules: pure functions over a map (and its text), in a fixed order.

Each rule reads a ``MapView`` and returns ``Hit``s: the unit a problem is at,
what is wrong and how to fix it. Codes and names are stable (1xx thesis, 2xx
support, 3xx objections, 4xx evidence, 5xx structure); severities are defaults
a project may override. The rules are tuned against false alarms: a writer
stops reading a linter that cries wolf, so each rule fires only where the map
gives a clear reason to, and says in its ``--explain`` text where it holds back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from argmap.check.findings import Severity
from argmap.check.view import MapView, checkable_figure, find_phrase, quote
from argmap.model import POSITION_KINDS, CueKind, RelationKind, Role, Unit

__all__ = ["COMPETING_MARGIN", "RESTATEMENT_OVERLAP", "RULES", "SCORE_DIGITS", "Hit", "Rule"]

COMPETING_MARGIN = 0.5
"""Rivals within half a point: less than the smallest whole cue of the thesis score."""
SCORE_DIGITS = 1
"""Thesis scores are compared as they are shown (one decimal): finer differences are noise."""
RESTATEMENT_OVERLAP = 0.5
"""A rival sharing half of its content words with the thesis restates it."""


@dataclass(frozen=True)
class Hit:
    """A rule's raw result: where, what, how to fix, and other units involved."""

    unit: Unit | None
    message: str
    fix: str
    related: tuple[str, ...] = ()


RuleFn = Callable[[MapView], list[Hit]]


@dataclass(frozen=True)
class Rule:
    """A rule's stable code and name, its default severity and its function."""

    code: str
    name: str
    severity: Severity
    check: RuleFn


def _has_cue(units: Sequence[Unit], kinds: frozenset[CueKind]) -> bool:
    return any(cue.kind in kinds for unit in units for cue in unit.cues)


def _argues(view: MapView) -> bool:
    """Whether any unit takes a position, gives a reason, or raises a view to answer it."""
    if _has_cue(view.units, POSITION_KINDS) or any(u.calls_for_action for u in view.units):
        return True
    if any(u.role in {Role.RECOMMENDATION, Role.OBJECTION} for u in view.units):
        return True
    return any(find_phrase(u.text, "reasoning_connectives") for u in view.units)


def _thesis_problem(view: MapView) -> Hit | None:
    """Why no central claim can be identified, or None when there is one.

    Rules that measure the argument against its thesis stay silent when this
    fires: their findings would only echo the missing thesis.
    """
    thesis = view.thesis
    fix = (
        "State your position in one sentence a reader could disagree with, "
        "early in the piece (e.g. 'The council should …', 'X is a mistake, because …')."
    )
    if thesis is None:
        return Hit(None, "argmap found no argument: there is no unit to take as the thesis.", fix)
    penalty = next((c.kind for c in thesis.cues if c.kind in _PENALTIES), None)
    if penalty is not None:
        kind = _PENALTIES[penalty]
        message = (
            f"No central claim can be identified: the best candidate, {quote(thesis.text)}, "
            f"is {kind}, not a position of your own."
        )
        return Hit(thesis, message, fix)
    if _argues(view):
        return None
    message = (
        "No central claim can be identified: no unit calls for action, states a stance, "
        f"judges, gives a reason or answers a view; argmap fell back on {quote(thesis.text)}."
    )
    return Hit(thesis, message, fix)


_PENALTIES = {CueKind.OBJECTION_ROLE: "an objection", CueKind.EVIDENCE_ROLE: "a piece of evidence"}
"""The thesis scorer's cue when its best candidate was classified as one of these."""


def _no_thesis(view: MapView) -> list[Hit]:
    problem = _thesis_problem(view)
    return [problem] if problem else []


_CONTENT_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def _content_words(text: str) -> set[str]:
    return set(_CONTENT_WORD.findall(text.lower()))


def _restates(a: Unit, b: Unit) -> bool:
    """Shared words, or one of the two concludes ("For these reasons, ...") and so sums up."""
    if _has_cue([a, b], frozenset({CueKind.CONCLUSION_MARKER})):
        return True
    words_a, words_b = _content_words(a.text), _content_words(b.text)
    smaller = min(len(words_a), len(words_b))
    return smaller > 0 and len(words_a & words_b) / smaller >= RESTATEMENT_OVERLAP


def _competing_theses(view: MapView) -> list[Hit]:
    """Rivals are the thesis's own ``rivals``, scored by the thesis scorer."""
    if _thesis_problem(view) is not None:
        return []
    thesis = view.thesis
    if thesis is None or thesis.score is None:
        return []
    best = round(thesis.score, SCORE_DIGITS)
    rivals: list[tuple[float, Unit]] = []
    for found in thesis.rivals:
        rival, score = view.unit(found.unit), round(found.score, SCORE_DIGITS)
        if best - score < COMPETING_MARGIN and not _restates(thesis, rival):
            rivals.append((score, rival))
    if not rivals:
        return []
    rivals.sort(key=lambda pair: (-pair[0], view.index(pair[1])))
    named = [f"{quote(u.text, 40)} (line {u.line})" for _, u in rivals]
    shown = ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    message = (
        f"The thesis is unclear: {quote(thesis.text)} and {shown} are equally strong "
        f"candidates for it (scores within {COMPETING_MARGIN} of each other)."
    )
    fix = (
        "Decide which one is your point; state it once, prominently, and recast the "
        "others as steps towards it ('To do that, …') or cut them."
    )
    return [Hit(thesis, message, fix, tuple(u.id for _, u in rivals))]


def _is_main_point(view: MapView, unit: Unit) -> bool:
    """A premise argued directly for the thesis, alone in a paragraph of its own."""
    thesis, primary = view.thesis, view.primary(unit)
    if thesis is None or primary is None or primary.target != thesis.id:
        return False
    if primary.kind is not RelationKind.SUPPORT or view.is_default(primary):
        return False
    paragraph = view.paragraph(unit)
    if paragraph == view.paragraph(thesis):
        return False
    reasons = {Role.PREMISE, Role.CLAIM, Role.EVIDENCE}
    return not any(
        u is not unit and u.role in reasons and view.paragraph(u) == paragraph for u in view.units
    )


def _not_a_bare_assertion(unit: Unit) -> bool:
    """Hedged, opinion-marked, self-reasoned, a question, a lead-in ("…:"), or a follow-on.

    A unit that opens by pointing back ("It also means …", "This …") develops
    the paragraph before it rather than making a point of its own.
    """
    hedged = _has_cue([unit], frozenset({CueKind.HEDGE}))
    first_words = " ".join(unit.text.split()[:1])
    return (
        hedged
        or unit.text.rstrip().endswith(("?", ":"))
        or find_phrase(first_words, "back_references") is not None
        or find_phrase(unit.text, "opinion_markers") is not None
        or find_phrase(unit.text, "own_reason_connectives") is not None
    )


def _unsupported_claim(view: MapView) -> list[Hit]:
    if _thesis_problem(view) is not None:
        return []
    thesis = view.thesis
    if thesis is None:
        return []
    hits = []
    if not view.reasons_for(thesis):
        fix = "Give at least one reason for it ('…, because …') and back that reason with evidence."
        hits.append(Hit(thesis, f"The thesis {quote(thesis.text)} has nothing supporting it.", fix))
    for unit in view.units:
        if unit.role not in {Role.PREMISE, Role.CLAIM} or view.reasons_for(unit):
            continue
        if _is_main_point(view, unit) and not _not_a_bare_assertion(unit):
            fix = "Add a reason or evidence, or mark it as your opinion."
            hits.append(Hit(unit, f"{quote(unit.text)} has nothing supporting it.", fix))
    return hits


def _recommendation_chain_head(view: MapView, unit: Unit) -> Unit:
    """Follow support links through recommendations: "X must … Rather, X must …" is one call."""
    seen = {unit.id}
    while True:
        primary = view.primary(unit)
        if primary is None or primary.kind is not RelationKind.SUPPORT:
            return unit
        target = view.unit(primary.target)
        if target.role is not Role.RECOMMENDATION or target.id in seen:
            return unit
        seen.add(target.id)
        unit = target


def _unsupported_recommendation(view: MapView) -> list[Hit]:
    if _thesis_problem(view) is not None:
        return []
    thesis = view.thesis
    groups: dict[str, list[Unit]] = {}
    for unit in view.units:
        if unit.role is Role.RECOMMENDATION:
            groups.setdefault(_recommendation_chain_head(view, unit).id, []).append(unit)
    thesis_reasoned = thesis is not None and bool(view.reasons_for(thesis))
    hits = []
    for head_id, members in groups.items():
        head = view.unit(head_id)
        if any(view.reasons_for(u) for u in members):
            continue
        if any(find_phrase(u.text, "own_reason_connectives") for u in members):
            continue
        primary = view.primary(head)
        if primary is not None and primary.kind is RelationKind.ATTACK:
            continue  # a counter-proposal: the view it answers is its reason
        carries_out_thesis = (
            primary is not None
            and thesis is not None
            and primary.target == thesis.id
            and not view.is_default(primary)
        )
        if carries_out_thesis and thesis_reasoned:
            continue
        message = f"The call to action {quote(head.text)} has no premise or evidence behind it."
        fix = "Give the reason for it ('…, because …') or evidence, or tie it to your thesis."
        hits.append(Hit(head, message, fix, tuple(u.id for u in members if u is not head)))
    return hits


def _single_line_of_support(view: MapView) -> list[Hit]:
    if _thesis_problem(view) is not None:
        return []
    thesis = view.thesis
    if thesis is None:
        return []
    lines = view.reasons_for(thesis)
    if len(lines) != 1:
        return []
    message = (
        f"The thesis rests on one line of reasoning only: {quote(lines[0].text)} "
        f"(line {lines[0].line}); if it falls, the argument falls."
    )
    fix = "Add a second, independent reason for the thesis, with its own evidence."
    return [Hit(thesis, message, fix, (lines[0].id,))]


def _objection_runs(view: MapView) -> list[list[Unit]]:
    """Consecutive objections in one paragraph: "Critics say A, or B" is one objection."""
    runs: list[list[Unit]] = []
    previous: Unit | None = None
    for unit in view.units:
        if unit.role is not Role.OBJECTION:
            previous = None
            continue
        if previous is not None and view.paragraph(previous) == view.paragraph(unit):
            runs[-1].append(unit)
        else:
            runs.append([unit])
        previous = unit
    return runs


def _answered(view: MapView, run: list[Unit]) -> bool:
    if any(a.role is not Role.OBJECTION for u in run for a in view.attackers(u)):
        return True
    units, first, last = view.units, view.index(run[0]), view.index(run[-1])
    before = units[first - 1] if first > 0 else None
    after = units[last + 1] if last + 1 < len(units) else None
    for u in run:  # a concessive clause: its own sentence answers it ("Although X, Y")
        for rel in view.outgoing(u):
            if rel.kind is not RelationKind.ATTACK:
                continue
            if after is not None and rel.target == after.id and view.same_sentence(run[-1], after):
                return True
            if before is not None and rel.target == before.id and view.same_sentence(before, u):
                return True
    return (
        after is not None
        and view.paragraph(after) == view.paragraph(run[-1])
        and find_phrase(after.text, "rebuttal_markers") is not None
    )


def _unanswered_objection(view: MapView) -> list[Hit]:
    hits = []
    for run in _objection_runs(view):
        if _answered(view, run):
            continue
        message = f"The objection {quote(run[0].text)} is raised but never answered."
        fix = (
            "Answer it right after you raise it ('But …', 'In fact …'), or concede it "
            "and say why your case still holds, or cut it."
        )
        hits.append(Hit(run[0], message, fix, tuple(u.id for u in run[1:])))
    return hits


def _unsourced_statistic(view: MapView) -> list[Hit]:
    hits = []
    for unit in view.units:
        if unit.role is not Role.EVIDENCE:
            continue
        typed = unit.evidence_type is not None and unit.evidence_type.value == "statistic"
        if not typed and not _has_cue([unit], frozenset({CueKind.STATISTIC})):
            continue  # evidence of another kind that gives no figure
        if _has_cue([unit], frozenset({CueKind.ATTRIBUTION})):
            continue
        if find_phrase(view.sentence_text(unit), "source_phrases") is not None:
            continue
        figure = checkable_figure(unit.text)
        if figure is None:
            continue
        message = f"The figure '{figure}' in {quote(unit.text)} is given with no source."
        fix = (
            "Say where it comes from in the same sentence "
            "('according to …', '…, the ministry reported')."
        )
        hits.append(Hit(unit, message, fix))
    return hits


def _no_evidence(view: MapView) -> list[Hit]:
    if not view.units or any(u.role is Role.EVIDENCE for u in view.units):
        return []
    message = "The piece offers no evidence at all: no figure, quotation or example."
    fix = (
        "Back your strongest reason with a figure and its source, a quotation from "
        "someone who knows, or a concrete example ('For instance, …')."
    )
    return [Hit(view.thesis or view.units[0], message, fix)]


def _orphan_unit(view: MapView) -> list[Hit]:
    if _thesis_problem(view) is not None:
        return []
    hits = []
    for unit in view.units:
        if unit.role not in {Role.EVIDENCE, Role.PREMISE} or unit.id == view.map.thesis:
            continue
        if all(view.is_default(rel) for rel in view.outgoing(unit)):
            what = "evidence" if unit.role is Role.EVIDENCE else "premise"
            message = f"The {what} {quote(unit.text)} supports or attacks nothing near it."
            fix = (
                "Put the claim it supports right before it, or tie it to that claim "
                "('This shows …', 'That is why …'), or cut it."
            )
            hits.append(Hit(unit, message, fix))
    return hits


def _circular_support(view: MapView) -> list[Hit]:
    hits = []
    for cycle in view.support_cycles():
        units = [view.unit(uid) for uid in cycle]
        chain = " supports ".join(f"{quote(u.text, 40)} (line {u.line})" for u in units)
        message = f"Circular support: {chain}, which supports the first again."
        fix = "Break the circle: give one of these claims a reason or evidence from outside it."
        hits.append(Hit(units[0], message, fix, tuple(cycle[1:])))
    return hits


RULES: list[Rule] = [
    Rule("AM101", "no-thesis", Severity.ERROR, _no_thesis),
    Rule("AM102", "competing-theses", Severity.WARNING, _competing_theses),
    Rule("AM201", "unsupported-claim", Severity.WARNING, _unsupported_claim),
    Rule("AM202", "unsupported-recommendation", Severity.WARNING, _unsupported_recommendation),
    Rule("AM203", "single-line-of-support", Severity.INFO, _single_line_of_support),
    Rule("AM301", "unanswered-objection", Severity.WARNING, _unanswered_objection),
    Rule("AM401", "unsourced-statistic", Severity.WARNING, _unsourced_statistic),
    Rule("AM402", "no-evidence", Severity.WARNING, _no_evidence),
    Rule("AM501", "orphan-unit", Severity.WARNING, _orphan_unit),
    Rule("AM502", "circular-support", Severity.ERROR, _circular_support),
]
