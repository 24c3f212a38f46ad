"""Link units with support and attack relations, the thesis as the root.

Each non-thesis unit gets one outgoing relation from the first link rule that
fires. Rules read discourse connectives (a reason marker points back, a
contrast after an objection answers it), roles (evidence backs the claim it
follows) and the paragraph structure, and fall back to word overlap. A rule
never creates a cycle: a target whose own chain leads back is refused. Each
link carries its ``Cue``, the rule's name and whether it is a ``fallback``
(made with no cue at all, only because every unit must hang somewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from argmap.classify import OPENER_KINDS, Classified, feature_cue
from argmap.cues import match_at
from argmap.lexicon import phrases
from argmap.link_layout import Layout, Roots, layout
from argmap.model import Cue, CueKind, RelationKind, Role

__all__ = ["FALLBACK_RULE", "LINK_RULES", "Link", "link_units"]

FALLBACK_RULE = "attach_to_thesis"
"""The ``rule`` of a link made when no link rule fired."""


@dataclass(frozen=True)
class Link:
    """A relation between unit indices, with the cue and rule that produced it."""

    source: int
    target: int
    kind: RelationKind
    confidence: float
    cue: Cue
    fallback: bool = False
    """No cue: the unit is attached only because it must be attached somewhere."""
    rule: str = ""
    runner_up: tuple[int, float] | None = None
    """The head the attachment scorer liked next, with its probability."""


@dataclass(frozen=True)
class LinkContext:
    """What a link rule may know: all units, the thesis, relations made so far."""

    units: Sequence[Classified]
    thesis: int
    links: dict[int, Link]
    layout: Layout


LinkRule = Callable[[int, LinkContext], Link | None]

_SUPPORT, _ATTACK = RelationKind.SUPPORT, RelationKind.ATTACK
_REASON_SPLITS = {"because", "since", "given that", "for", "as"}
_CONCESSIVE_SPLITS = {"although", "though", "even though", "even if", "while", "whereas"}


def _said(kind: CueKind, description: str, words: str = "") -> Cue:
    return Cue(kind=kind, words=words, description=description)


def _opener_cue(ctx: LinkContext, i: int, description: str, kind: CueKind | None = None) -> Cue:
    """A cue for unit ``i``'s opening connective, placed where it is."""
    f = ctx.units[i].features
    opener = f.opener or ("", "")
    return feature_cue(kind or OPENER_KINDS[opener[0]], description, f, "opener", opener[1])


def _marker_cue(ctx: LinkContext, i: int, description: str, kind: CueKind, word: str | None) -> Cue:
    """A connective of unit ``i`` as the cue, placed when it is the one the unit opens with."""
    opener = ctx.units[i].features.opener
    if opener and opener[1] == word:
        return _opener_cue(ctx, i, description, kind)
    return _said(kind, description, word or "")


def _role(ctx: LinkContext, i: int) -> Role:
    return ctx.units[i].decision.role


def _same_block(ctx: LinkContext, a: int, b: int) -> bool:
    return ctx.units[a].segment.block == ctx.units[b].segment.block


def _opener(ctx: LinkContext, i: int) -> tuple[str, str] | None:
    return ctx.units[i].features.opener


def _overlap(ctx: LinkContext, a: int, b: int) -> int:
    return len(ctx.units[a].features.content_lemmas & ctx.units[b].features.content_lemmas)


def _previous_claim(ctx: LinkContext, i: int) -> int | None:
    """The nearest earlier unit in the paragraph that is not evidence or an objection."""
    return ctx.layout.claim_before[i]


def _split_reason(i: int, ctx: LinkContext) -> Link | None:
    seg = ctx.units[i].segment
    if i and seg.split_cue in _REASON_SPLITS and ctx.units[i - 1].segment.sentence == seg.sentence:
        said = f"{seg.split_cue!r} joins it to the clause before"
        cue = _marker_cue(ctx, i, said, CueKind.REASON_CONNECTIVE, seg.split_cue)
        return Link(i, i - 1, _SUPPORT, 0.85, cue)
    return None


def _concession_clause(i: int, ctx: LinkContext) -> Link | None:
    opener = _opener(ctx, i)
    if _role(ctx, i) is not Role.OBJECTION or not opener or opener[1] not in _CONCESSIVE_SPLITS:
        return None
    seg = ctx.units[i].segment
    if i + 1 < len(ctx.units) and ctx.units[i + 1].segment.sentence == seg.sentence:
        # "Although X, Y": X is granted against the author's position, which Y then defends.
        said = f"concessive {opener[1]!r}: granted against the thesis, answered by the main clause"
        return Link(i, ctx.thesis, _ATTACK, 0.65, _opener_cue(ctx, i, said, CueKind.CONCESSION))
    if i and ctx.units[i - 1].segment.sentence == seg.sentence:
        said = f"concessive {opener[1]!r} qualifies the clause before"
        return Link(i, i - 1, _ATTACK, 0.65, _opener_cue(ctx, i, said, CueKind.CONCESSION))
    return None


def _answer_to_concession(i: int, ctx: LinkContext) -> Link | None:
    """The main clause of "Although X, Y" answers X."""
    if i == 0 or _role(ctx, i) is Role.OBJECTION:
        return None
    before = ctx.units[i - 1]
    opener = before.features.opener
    if before.segment.sentence != ctx.units[i].segment.sentence or before.decision.role is not (
        Role.OBJECTION
    ):
        return None
    if not opener or opener[1] not in _CONCESSIVE_SPLITS:
        return None
    said = f"main clause answering the concessive {opener[1]!r}"
    return Link(i, i - 1, _ATTACK, 0.6, _opener_cue(ctx, i - 1, said, CueKind.CONCESSION))


def _rebuttal_of_objection(i: int, ctx: LinkContext) -> Link | None:
    opener = _opener(ctx, i)
    seg = ctx.units[i].segment
    contrast = (opener and opener[0] == "contrast") or seg.split_cue in {"but", "yet", "and yet"}
    if not contrast or _role(ctx, i) is Role.OBJECTION:
        return None
    for j in range(i - 1, max(-1, i - 3), -1):
        if _role(ctx, j) is Role.OBJECTION:
            word = opener[1] if opener else seg.split_cue
            cue = _marker_cue(ctx, i, f"{word!r} answers the objection", CueKind.CONTRAST, word)
            return Link(i, j, _ATTACK, 0.75, cue)
    return None


def _objection_target(i: int, ctx: LinkContext) -> Link | None:
    if _role(ctx, i) is not Role.OBJECTION:
        return None
    previous = _previous_claim(ctx, i)
    if (
        previous is not None
        and previous != ctx.thesis
        and _overlap(ctx, i, previous) > _overlap(ctx, i, ctx.thesis)
    ):
        said = "objection to the claim it follows (shared words)"
        return Link(i, previous, _ATTACK, 0.55, _said(CueKind.WORD_OVERLAP, said))
    return Link(
        i, ctx.thesis, _ATTACK, 0.5, _said(CueKind.OBJECTION_ROLE, "objection to the thesis")
    )


def _contrast_opener(i: int, ctx: LinkContext) -> Link | None:
    opener = _opener(ctx, i)
    seg = ctx.units[i].segment
    split_contrast = seg.split_cue in {"but", "yet", "whereas"}
    if i == 0 or not ((opener and opener[0] == "contrast") or split_contrast):
        return None
    word = opener[1] if opener else seg.split_cue
    cue = _marker_cue(ctx, i, f"contrast marker {word!r}", CueKind.CONTRAST, word)
    return Link(i, i - 1, _ATTACK, 0.55, cue)


def _reason_opener(i: int, ctx: LinkContext) -> Link | None:
    """ "Because X, Y" supports Y; a sentence opening "Because X." supports the one before."""
    opener = _opener(ctx, i)
    if not opener or opener[0] != "reason":
        return None
    seg = ctx.units[i].segment
    fronted = i + 1 < len(ctx.units) and ctx.units[i + 1].segment.sentence == seg.sentence
    if fronted and (i == 0 or ctx.units[i - 1].segment.sentence != seg.sentence):
        said = f"fronted reason {opener[1]!r} for the main clause"
        return Link(i, i + 1, _SUPPORT, 0.75, _opener_cue(ctx, i, said))
    if i == 0:
        return None
    return Link(i, i - 1, _SUPPORT, 0.7, _opener_cue(ctx, i, f"reason marker {opener[1]!r}"))


_CONSEQUENCE_SPLITS = {"so", "and so", "and therefore", "and thus", "and hence", "and consequently"}


def _consequence_clause(i: int, ctx: LinkContext) -> Link | None:
    """ "A, so B": B draws A's consequence and bears on what A bears on."""
    seg = ctx.units[i].segment
    if i == 0 or seg.split_cue not in _CONSEQUENCE_SPLITS or (i - 1) not in ctx.links:
        return None
    if ctx.units[i - 1].segment.sentence != seg.sentence:
        return None
    previous = ctx.links[i - 1]
    said = f"{seg.split_cue!r}: draws the consequence of the clause before"
    cue = _marker_cue(ctx, i, said, CueKind.CONSEQUENCE, seg.split_cue)
    return _follow(i, previous, cue)


def _follow(i: int, previous: Link, cue: Cue) -> Link:
    """Unit ``i`` does the job of the clause before: its target, its kind, a little less sure.

    A clause that follows a fallback link inherits the guess, so it is a fallback too.
    """
    confidence = round(previous.confidence * 0.9, 2)
    return Link(i, previous.target, previous.kind, confidence, cue, previous.fallback)


_COORDINATE_SPLITS = {"and", "and also", "and moreover", "for", "then again", "while", "whereas"}


def _coordinated_clause(i: int, ctx: LinkContext) -> Link | None:
    """ "A, and B": a clause coordinated with the one before does the same job."""
    seg = ctx.units[i].segment
    if i == 0 or seg.split_cue not in _COORDINATE_SPLITS or (i - 1) not in ctx.links:
        return None
    if ctx.units[i - 1].segment.sentence != seg.sentence or seg.split_cue in {"for", "then again"}:
        return None
    said = f"{seg.split_cue!r} joins it to the clause before: the same job"
    return _follow(
        i, ctx.links[i - 1], _marker_cue(ctx, i, said, CueKind.COORDINATION, seg.split_cue)
    )


def _enumerated_reason(i: int, ctx: LinkContext) -> Link | None:
    """ "First, ... Second, ...": enumerated reasons share the target of the first one."""
    opener = _opener(ctx, i)
    if not opener or opener[0] != "enumeration":
        return None
    j = ctx.layout.enumeration_before[i]
    earlier = _opener(ctx, j) if j is not None else None
    if j is not None and earlier and j in ctx.links:
        said = f"enumerated reason {opener[1]!r}, like {earlier[1]!r}"
        return Link(i, ctx.links[j].target, _SUPPORT, 0.6, _opener_cue(ctx, i, said))
    said = f"enumerated reason {opener[1]!r}"
    return Link(i, ctx.thesis, _SUPPORT, 0.55, _opener_cue(ctx, i, said))


def _premise_before_conclusion(i: int, ctx: LinkContext) -> Link | None:
    """A unit followed by "therefore/so/thus X" is a reason for X."""
    if i + 1 >= len(ctx.units) or _role(ctx, i) is Role.OBJECTION:
        return None
    opener = _opener(ctx, i + 1)
    if opener and opener[0] == "conclusion" and _same_block(ctx, i, i + 1):
        said = f"the next unit concludes from it ({opener[1]!r})"
        return Link(i, i + 1, _SUPPORT, 0.7, _opener_cue(ctx, i + 1, said))
    return None


def _evidence_backs_claim(i: int, ctx: LinkContext) -> Link | None:
    if _role(ctx, i) is not Role.EVIDENCE:
        return None
    previous = _previous_claim(ctx, i)
    role = CueKind.EVIDENCE_ROLE
    if previous is not None:
        return Link(i, previous, _SUPPORT, 0.6, _said(role, "evidence for the claim it follows"))
    following = ctx.layout.claim_after[i]
    if following is not None:
        said = "evidence for the claim that follows it"
        return Link(i, following, _SUPPORT, 0.5, _said(role, said))
    before = ctx.layout.claim_near_before[i]
    if before is not None:
        said = "evidence for the claim in the paragraph before"
        return Link(i, before, _SUPPORT, 0.45, _said(role, said))
    cue = _said(CueKind.FALLBACK, "evidence with no claim near it")
    return Link(i, ctx.thesis, _SUPPORT, 0.4, cue, fallback=True)


def _addition_opener(i: int, ctx: LinkContext) -> Link | None:
    opener = _opener(ctx, i)
    if i == 0 or not opener or opener[0] != "addition" or (i - 1) not in ctx.links:
        return None
    sibling = ctx.links[i - 1]
    sibling_target = sibling.target
    if sibling_target == i or sibling.kind is not _SUPPORT:
        return None
    said = f"addition marker {opener[1]!r}: a further reason"
    return Link(i, sibling_target, _SUPPORT, 0.55, _opener_cue(ctx, i, said))


def _restatement_opener(i: int, ctx: LinkContext) -> Link | None:
    opener = _opener(ctx, i)
    if i == 0 or not opener or opener[0] not in {"restatement", "example"}:
        return None
    return Link(i, i - 1, _SUPPORT, 0.5, _opener_cue(ctx, i, f"{opener[0]} marker {opener[1]!r}"))


def _stance_restates_thesis(i: int, ctx: LinkContext) -> Link | None:
    """ "In my opinion, X": the author states a position, so it backs the thesis directly."""
    stance = ctx.units[i].features.stance
    if stance is None or _role(ctx, i) in {Role.OBJECTION, Role.EVIDENCE}:
        return None
    said = f"states the author's position ({stance!r})"
    cue = feature_cue(CueKind.STANCE, said, ctx.units[i].features, "stance")
    return Link(i, ctx.thesis, _SUPPORT, 0.55, cue)


def _anaphoric_opener(i: int, ctx: LinkContext) -> Link | None:
    """ "This means ...", "Such a plan ...": a unit that points back develops the one before."""
    if i == 0 or not _same_block(ctx, i, i - 1) or _role(ctx, i - 1) is Role.OBJECTION:
        return None
    tokens = [t for t in ctx.units[i].segment.tokens if not (t.is_punct or t.is_space)]
    if not tokens or tokens[0].dep_ not in {"nsubj", "nsubjpass", "det", "expl"}:
        return None
    word = match_at([tokens[0].lower_], 0, phrases("connectives", "anaphoric_openers"))
    if word is None or (word == "it" and tokens[0].dep_ == "expl"):
        return None
    said = f"opens by pointing back ({tokens[0].text!r})"
    return Link(i, i - 1, _SUPPORT, 0.5, _said(CueKind.ANAPHORA, said, tokens[0].text))


def _paragraph_structure(i: int, ctx: LinkContext) -> Link:
    """No cue: the paragraph's first claim supports the thesis; the rest support it.

    Word overlap decides between the paragraph's head, the unit just before and
    the thesis, because a writer's next sentence usually develops one of them.
    """
    head = ctx.layout.heads[ctx.units[i].segment.block]
    if _same_block(ctx, i, ctx.thesis) or _role(ctx, head) is Role.OBJECTION:
        head = ctx.thesis
    if head == i:
        said = "opens a paragraph: a reason for the thesis"
        return Link(i, ctx.thesis, _SUPPORT, 0.45, _said(CueKind.PARAGRAPH, said))
    candidates = [(head, 0.5, _said(CueKind.PARAGRAPH, "develops its paragraph's opening claim"))]
    previous_is_claim = i > 0 and _role(ctx, i - 1) is not Role.OBJECTION
    if previous_is_claim and i - 1 != head and _same_block(ctx, i, i - 1):
        said = "develops the sentence before (shared words)"
        candidates.append((i - 1, 0.4, _said(CueKind.WORD_OVERLAP, said)))
    if ctx.thesis not in {head, i - 1}:
        said = "restates part of the thesis (shared words)"
        candidates.append((ctx.thesis, 0.4, _said(CueKind.WORD_OVERLAP, said)))
    best = max(candidates, key=lambda c: (_overlap(ctx, i, c[0]), c[1]))
    # Evidence hung on the thesis of another paragraph by shared words alone has no claim
    # near it: the same guess as the evidence rule's last resort.
    guess = best[0] == ctx.thesis != head and _role(ctx, i) is Role.EVIDENCE
    return Link(i, best[0], _SUPPORT, best[1], best[2], fallback=guess)


LINK_RULES: list[tuple[str, LinkRule]] = [
    ("split_reason", _split_reason),
    ("concession_clause", _concession_clause),
    ("answer_to_concession", _answer_to_concession),
    ("rebuttal_of_objection", _rebuttal_of_objection),
    ("objection_target", _objection_target),
    ("consequence_clause", _consequence_clause),
    ("coordinated_clause", _coordinated_clause),
    ("premise_before_conclusion", _premise_before_conclusion),
    ("reason_opener", _reason_opener),
    ("enumerated_reason", _enumerated_reason),
    ("evidence_backs_claim", _evidence_backs_claim),
    ("contrast_opener", _contrast_opener),
    ("addition_opener", _addition_opener),
    ("restatement_opener", _restatement_opener),
    ("stance_restates_thesis", _stance_restates_thesis),
    ("anaphoric_opener", _anaphoric_opener),
    ("paragraph_structure", _paragraph_structure),
]


def link_units(
    units: Sequence[Classified], thesis: int, *, disabled: frozenset[str] = frozenset()
) -> list[Link]:
    """One outgoing relation per non-thesis unit, from the first rule that fires.

    Units are linked in document order so that a rule can follow the links of
    earlier units (a further reason joins its sibling's target).
    """
    roots = Roots()
    links: dict[int, Link] = {}
    ctx = LinkContext(units, thesis, links, layout(units, thesis))
    for i in range(len(units)):
        if i == thesis:
            continue
        for name, rule in LINK_RULES:
            if name in disabled and name != "paragraph_structure":
                continue
            link = rule(i, ctx)
            if link is None or link.target == i or roots.root(link.target) == i:
                continue
            roots.join(i, link.target)
            links[i] = replace(link, rule=name, cue=link.cue.model_copy(update={"rule": name}))
            break
        else:
            said = "no cue found: attached to the thesis"
            cue = Cue(kind=CueKind.FALLBACK, rule=FALLBACK_RULE, description=said)
            links[i] = Link(i, thesis, _SUPPORT, 0.3, cue, fallback=True, rule=FALLBACK_RULE)
            roots.join(i, thesis)
    return list(links.values())
