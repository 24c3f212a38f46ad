"""The check rules: each fires where it should and stays silent on clean drafts.

Two layers. Hand-built maps pin down each rule's logic without the language
model (what counts as support, as a default link, as an answer). The drafts in
``tests/fixtures/check/`` (written for these tests, each flawed in known ways,
and clean ones) go through the real pipeline, so the rules are tested on the
maps argmap actually makes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.check import (
    RULES,
    CheckConfig,
    Finding,
    Severity,
    check,
    check_text,
    explain,
    find_rule,
    rule_texts,
)
from argmap.check.format import format_github, format_json, format_text, summarize
from argmap.errors import InputError
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Rival,
    Role,
    Unit,
)

FIXTURES = Path(__file__).parent / "fixtures" / "check"
EXAMPLES = Path(__file__).parent.parent / "examples"
README = Path(__file__).parent.parent / "README.md"

RULE_NAMES = {
    "no-thesis",
    "competing-theses",
    "unsupported-claim",
    "unsupported-recommendation",
    "unanswered-objection",
    "unsourced-statistic",
    "orphan-unit",
    "circular-support",
    "single-line-of-support",
    "no-evidence",
}

# --- hand-built maps ------------------------------------------------------------------

Spec = tuple[Role, str] | tuple[Role, str, list[Cue]] | tuple[Role, str, list[Cue], EvidenceType]
Rel = tuple[str, str, str, float] | tuple[str, str, str, float, bool]


def build(
    paragraphs: list[list[Spec]],
    relations: list[Rel],
    thesis: str | None = "u1",
) -> tuple[ArgumentMap, str]:
    """A map and its text: paragraphs of (role, text[, cues[, evidence type]]), ids u1..uN.

    Relations are (source, target, kind, confidence[, fallback]).
    """
    text, units = "", []
    for p, paragraph in enumerate(paragraphs):
        if p:
            text += "\n\n"
        for k, spec in enumerate(paragraph):
            if k:
                text += " "
            role, words = spec[0], spec[1]
            cues = list(spec[2]) if len(spec) > 2 else []  # type: ignore[misc]
            evidence = spec[3] if len(spec) > 3 else None  # type: ignore[misc]
            start = len(text)
            text += words
            units.append(
                Unit(
                    id=f"u{len(units) + 1}",
                    role=role,
                    text=words,
                    start=start,
                    end=len(text),
                    line=text.count("\n", 0, start) + 1,
                    evidence_type=evidence,
                    confidence=0.6,
                    cues=cues,
                )
            )
    rels = [
        Relation(
            source=r[0],
            target=r[1],
            kind=RelationKind(r[2]),
            confidence=r[3],
            cue=Cue(kind=CueKind.FALLBACK if r[4:] == (True,) else CueKind.PARAGRAPH),
            fallback=r[4:] == (True,),
        )
        for r in relations
    ]
    return ArgumentMap(thesis=thesis, units=units, relations=rels), text


CALL = [
    Cue(kind=CueKind.CALL_TO_ACTION, weight=2.0, rule="thesis_role"),
    Cue(kind=CueKind.DEONTIC_MODAL, words="should", rule="recommendation_by_modal"),
]
STAT = [Cue(kind=CueKind.STATISTIC, words="40")]
SAID = [Cue(kind=CueKind.ATTRIBUTION, words="said")]
OPENS = [Cue(kind=CueKind.POSITION, weight=1.0, rule="thesis_position")]
T, C, P, E = Role.THESIS, Role.CLAIM, Role.PREMISE, Role.EVIDENCE
REC, OBJ = Role.RECOMMENDATION, Role.OBJECTION


def codes(m: ArgumentMap, text: str | None = None, **kwargs: object) -> list[str]:
    return [f.code for f in check(m, text, **kwargs)]  # type: ignore[arg-type]


def sound() -> tuple[ArgumentMap, str]:
    """A small well-argued map: two reasons with evidence, an answered objection."""
    return build(
        [
            [(T, "We should open the pool.", CALL)],
            [(C, "Swimming keeps people well."), (E, "A survey found 40 percent swim.", STAT,
                                                   EvidenceType.STATISTIC)],
            [(C, "The pool is cheap to run."), (E, '"It pays for itself," said the manager.',
                                                SAID, EvidenceType.TESTIMONY)],
            [(OBJ, "Critics say it is noisy."), (P, "But the walls are thick.")],
        ],
        [
            ("u2", "u1", "support", 0.45), ("u3", "u2", "support", 0.6),
            ("u4", "u1", "support", 0.45), ("u5", "u4", "support", 0.6),
            ("u6", "u1", "attack", 0.5), ("u7", "u6", "attack", 0.75),
        ],
    )  # fmt: skip


def test_a_sound_map_has_no_findings() -> None:
    m, text = sound()
    assert check(m, text) == []


def test_no_thesis_fires_without_units_and_without_any_position() -> None:
    empty = ArgumentMap()
    assert codes(empty) == ["AM101"]
    report, text = build(
        [[(T, "The fair opened on Friday.", OPENS)],
         [(P, "A band played."), (P, "Stalls sold food.")]],
        [("u2", "u1", "support", 0.45), ("u3", "u1", "support", 0.45)],
    )  # fmt: skip
    assert codes(report, text) == ["AM101", "AM402"]  # and nothing measured against it


def test_no_thesis_fires_when_the_best_candidate_is_evidence() -> None:
    m, text = build(
        [
            [(T, "Sales fell 40 percent.", [Cue(kind=CueKind.EVIDENCE_ROLE, weight=-4.0)])],
            [(P, "So we act.")],
        ],
        [("u2", "u1", "support", 0.5)],
    )
    assert "AM101" in codes(m, text)


def test_no_thesis_is_silent_when_a_unit_gives_a_reason() -> None:
    m, text = build(
        [[(T, "The fair is a success.", OPENS)],
         [(P, "because the town turned out.")]],
        [("u2", "u1", "support", 0.85)],
    )  # fmt: skip
    assert "AM101" not in codes(m, text)


def with_rival(m: ArgumentMap, rival: str, score: float, best: float) -> ArgumentMap:
    """The map with a close rival on its thesis (as the pipeline records them)."""
    update = {"rivals": [Rival(unit=rival, score=score)], "score": best}
    units = [u.model_copy(update=update) if u.id == m.thesis else u for u in m.units]
    return m.model_copy(update={"units": units})


def test_competing_theses_fires_on_a_close_rival_and_names_it() -> None:
    m, text = sound()
    close = with_rival(m, "u2", 2.0, 2.3)
    (finding,) = check(close, text)
    assert (finding.code, finding.unit, finding.related) == ("AM102", "u1", ("u2",))
    assert "Swimming keeps people well." in finding.message


def test_competing_theses_is_silent_on_a_clear_winner_or_a_restatement() -> None:
    m, text = sound()
    assert check(with_rival(m, "u2", 1.6, 2.3), text) == []
    restating, restating_text = build(
        [[(T, "We should open the pool.", CALL)], [(C, "Opening the pool, we should.")]],
        [("u2", "u1", "support", 0.45)],
    )
    rival = with_rival(restating, "u2", 2.2, 2.3)
    assert "AM102" not in codes(rival, restating_text)
    assert check(m, text) == []


def test_unsupported_claim_fires_on_a_bare_thesis_and_a_lone_main_point() -> None:
    bare, text = build([[(T, "We should open the pool.", CALL)]], [])
    assert codes(bare, text) == ["AM201", "AM402"]
    lone = build(
        [[(T, "We should open the pool.", CALL)], [(P, "Closing it would ruin the town.")]],
        [("u2", "u1", "support", 0.45)],
    )
    found = [f for f in check(*lone) if f.code == "AM201"]
    assert [f.unit for f in found] == ["u2"]
    assert found[0].fix == "Add a reason or evidence, or mark it as your opinion."


@pytest.mark.parametrize(
    "point",
    [
        "I believe closing it would ruin the town.",  # marked as opinion
        "Closing it would ruin the town, because shops need swimmers.",  # its own reason
        "It would also ruin the town.",  # points back: develops what came before
        "Here is why:",  # a lead-in
    ],
)
def test_unsupported_claim_is_silent_on_marked_or_reasoned_points(point: str) -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (P, "Pools help.")], [(P, point)]],
        [("u2", "u1", "support", 0.5), ("u3", "u1", "support", 0.45)],
    )
    assert "AM201" not in codes(m, text)


def test_unsupported_recommendation_fires_off_the_thesis_and_reports_a_chain_once() -> None:
    extra = build(
        [[(T, "We should open the pool.", CALL)],
         [(C, "Swimming keeps people well."), (E, "A survey found 40 percent swim.", STAT,
                                                EvidenceType.STATISTIC),
          (REC, "The town must buy a bus."), (REC, "Rather, it must lease one.")]],
        [("u2", "u1", "support", 0.45), ("u3", "u2", "support", 0.6),
         ("u4", "u2", "support", 0.5), ("u5", "u4", "support", 0.5)],
    )  # fmt: skip
    found = [f for f in check(*extra) if f.code == "AM202"]
    assert [(f.unit, f.related) for f in found] == [("u4", ("u5",))]


def test_unsupported_recommendation_is_silent_when_it_carries_out_a_reasoned_thesis() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL)],
         [(C, "Swimming keeps people well."), (E, "A survey found 40 percent swim.", STAT,
                                                EvidenceType.STATISTIC)],
         [(REC, "The council must vote in May.")]],
        [("u2", "u1", "support", 0.45), ("u3", "u2", "support", 0.6),
         ("u4", "u1", "support", 0.45)],
    )  # fmt: skip
    assert "AM202" not in codes(m, text)


def test_single_line_of_support_fires_on_one_reason_only() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (P, "because swimming keeps people well."),
          (E, "A survey found 40 percent swim.", STAT, EvidenceType.STATISTIC)]],
        [("u2", "u1", "support", 0.85), ("u3", "u2", "support", 0.6)],
    )  # fmt: skip
    (finding,) = check(m, text)
    assert (finding.code, finding.severity, finding.related) == ("AM203", Severity.INFO, ("u2",))


def test_unanswered_objection_fires_and_answers_of_every_kind_silence_it() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (P, "Pools help.")],
         [(OBJ, "Critics say it is noisy.")], [(P, "The pool opens at nine.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u1", "attack", 0.5),
         ("u4", "u1", "support", 0.45)],
    )  # fmt: skip
    assert [f.unit for f in check(m, text) if f.code == "AM301"] == ["u3"]
    m, text = sound()  # "But ..." attacks it
    assert "AM301" not in codes(m, text)
    concessive, text = build(
        [[(T, "We should open the pool.", CALL), (P, "Pools help.")],
         [(OBJ, "Although it costs money,"), (P, "it pays for itself.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u4", "attack", 0.7),
         ("u4", "u1", "support", 0.45)],
    )  # fmt: skip
    assert "AM301" not in codes(concessive, text)
    rebutted, text = build(
        [[(T, "We should open the pool.", CALL), (P, "Pools help.")],
         [(OBJ, "Critics say it is noisy."), (P, "In fact the walls are thick.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u1", "attack", 0.5),
         ("u4", "u1", "support", 0.45)],
    )  # fmt: skip
    assert "AM301" not in codes(rebutted, text)


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("Use rose 40 percent last year.", True),
        ("Use rose 40 percent, the council reported.", False),
        ("The pool has 1,200 members.", True),
        ("Retirement at 63 was proposed.", False),  # an age, not a statistic
        ("It opens six days a week, 7 days in summer.", False),  # durations
    ],
)
def test_unsourced_statistic(sentence: str, fires: bool) -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (C, "Pools are popular."),
          (E, sentence, STAT, EvidenceType.STATISTIC)]],
        [("u2", "u1", "support", 0.5), ("u3", "u2", "support", 0.6)],
    )  # fmt: skip
    assert ("AM401" in codes(m, text)) is fires


def test_no_evidence_fires_only_when_nothing_is_evidence() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (P, "Pools help."), (P, "Pools are fun.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u1", "support", 0.5)],
    )
    assert codes(m, text) == ["AM402"]
    assert "AM402" not in codes(*sound())


def test_orphan_unit_reads_default_links_as_no_link() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL), (C, "Pools help."),
          (E, "A survey found 40 percent swim.", STAT, EvidenceType.STATISTIC)],
         [(E, "The council counted 900 swimmers.", STAT, EvidenceType.STATISTIC)],
         [(P, "Water is wet.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u2", "support", 0.6),
         ("u4", "u1", "support", 0.4, True), ("u5", "u1", "support", 0.3, True)],
    )  # fmt: skip
    assert [f.unit for f in check(m, text) if f.code == "AM501"] == ["u4", "u5"]
    assert "AM501" not in codes(*sound())


def test_circular_support_fires_once_per_cycle() -> None:
    m, text = build(
        [[(T, "We should open the pool.", CALL)], [(C, "It is loved."), (C, "It is used.")]],
        [("u2", "u1", "support", 0.5), ("u3", "u2", "support", 0.5), ("u2", "u3", "support", 0.5)],
    )
    found = [f for f in check(m, text) if f.code == "AM502"]
    assert [(f.unit, f.related, f.severity) for f in found] == [("u2", ("u3",), Severity.ERROR)]
    assert "AM502" not in codes(*sound())


# --- configuration and inline comments -------------------------------------------------


def test_config_selects_ignores_and_overrides_severities() -> None:
    m, text = build([[(T, "We should open the pool.", CALL)]], [])
    assert codes(m, text, config=CheckConfig(ignore=("AM4",))) == ["AM201"]
    assert codes(m, text, config=CheckConfig(select=("no-evidence",))) == ["AM402"]
    (finding,) = check(m, text, config=CheckConfig(select=("AM201",), severity={"AM2": "error"}))  # type: ignore[dict-item]
    assert finding.severity is Severity.ERROR
    with pytest.raises(InputError, match="unknown rule 'AM999'"):
        check(m, text, config=CheckConfig(ignore=("AM999",)))


def test_an_inline_comment_silences_a_rule_for_the_next_paragraph_only() -> None:
    m, text = sound()
    stat = next(u for u in m.units if u.role is Role.EVIDENCE)
    unsourced = stat.model_copy(update={"text": "Use rose 40 percent."})
    m = m.model_copy(update={"units": [unsourced if u is stat else u for u in m.units]})
    assert codes(m, text) == ["AM401"]
    comment = "<!-- argmap: disable=unsourced-statistic -->\n"
    para = text.index("Swimming")
    shifted = text[:para] + comment + text[para:]
    moved = m.model_copy(
        update={
            "units": [
                u.model_copy(update={"start": u.start + len(comment), "end": u.end + len(comment)})
                if u.start >= para
                else u
                for u in m.units
            ]
        }
    )
    assert codes(moved, shifted) == []
    later = text.index("The pool is cheap")
    elsewhere = text[:later] + comment + text[later:]
    assert codes(m, elsewhere) == ["AM401"]


# --- rule table, explanations, formats ------------------------------------------------


def test_rules_have_stable_unique_codes_the_required_names_and_explanations() -> None:
    assert len({r.code for r in RULES}) == len(RULES) == 10
    assert {r.name for r in RULES} == RULE_NAMES
    assert set(rule_texts()) == {r.code for r in RULES}
    for texts in rule_texts().values():
        assert set(texts) == {"summary", "why", "fix", "bad", "good"}
        assert all(texts.values())


def test_every_rule_code_and_name_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "## Checking a draft: argmap check" in readme
    for rule in RULES:
        assert rule.code in readme, rule.code
        assert f"`{rule.name}`" in readme, rule.name


def test_explain_by_code_or_name() -> None:
    text = explain("am201")
    assert text.startswith("AM201 unsupported-claim (default severity: warning)")
    for heading in ("Why it matters:", "How to fix it:", "Flagged:", "Better:"):
        assert heading in text
    assert explain("unsupported-claim") == text
    with pytest.raises(InputError, match="unknown rule"):
        find_rule("AM999")


def finding(code: str, severity: Severity, line: int = 12, column: int = 5) -> Finding:
    return Finding(
        code=code,
        name="unsupported-claim",
        severity=severity,
        message='"Car-free centres help shops" has nothing supporting it.',
        fix="Add a reason or evidence, or mark it as your opinion.",
        unit="u3",
        line=line,
        column=column,
        file="draft.md",
    )


def test_text_format_is_one_compiler_style_line_per_finding_and_a_summary() -> None:
    findings = [finding("AM201", Severity.ERROR), finding("AM202", Severity.WARNING, 14, 1)]
    assert format_text(findings).splitlines() == [
        'draft.md:12:5: AM201 unsupported-claim: "Car-free centres help shops" has nothing '
        "supporting it. Add a reason or evidence, or mark it as your opinion.",
        'draft.md:14:1: AM202 unsupported-claim: "Car-free centres help shops" has nothing '
        "supporting it. Add a reason or evidence, or mark it as your opinion.",
        "2 problems: 1 error, 1 warning",
    ]
    assert summarize([]) == "no problems"
    assert summarize([finding("AM203", Severity.INFO)] * 2) == "2 problems: 2 info"


def test_json_and_github_formats() -> None:
    findings = [finding("AM201", Severity.WARNING), finding("AM101", Severity.INFO)]
    data = json.loads(format_json(findings))
    assert data["summary"] == {"info": 1, "warning": 1, "error": 0, "total": 2}
    assert [Finding.model_validate(f) for f in data["findings"]] == findings
    lines = format_github(findings).splitlines()
    assert lines[0].startswith(
        "::warning file=draft.md,line=12,col=5,title=AM201 unsupported-claim::"
    )
    assert lines[1].startswith("::notice ")
    odd = finding("AM201", Severity.ERROR).model_copy(update={"file": "a,b:c.md"})
    assert "file=a%2Cb%3Ac.md," in format_github([odd])


# --- the fixture drafts, through the real pipeline -------------------------------------

EXPECTED: dict[str, set[tuple[str, int]]] = {
    "clean-bike-lanes.md": set(),
    "clean-school-gardens.txt": set(),
    "no-thesis.md": {("AM101", 3)},
    "competing-theses.txt": {("AM102", 1), ("AM201", 1), ("AM202", 1)},
    "unsupported-claim.md": {("AM201", 8)},
    "unsupported-thesis.txt": {("AM201", 1), ("AM402", 1)},
    "unsupported-recommendation.md": {("AM202", 7)},
    "single-line.txt": {("AM203", 1)},
    "unanswered-objection.md": {("AM301", 9)},
    "unsourced-statistic.md": {("AM401", 6)},
    "no-evidence.md": {("AM402", 3)},
    "orphan-unit.md": {("AM501", 12)},
    "draft-v1.md": {("AM201", 10), ("AM301", 8), ("AM401", 6)},
    "draft-v2.md": set(),
}


def check_fixture(name: str) -> list[Finding]:
    path = FIXTURES / name
    return check_text(path.read_text(encoding="utf-8"), markdown=path.suffix == ".md", file=name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_drafts_get_exactly_the_findings_they_were_written_for(name: str) -> None:
    assert {(f.code, f.line) for f in check_fixture(name)} == EXPECTED[name]


def test_every_rule_fires_on_some_fixture_and_is_silent_on_the_clean_ones() -> None:
    fired = {code for expected in EXPECTED.values() for code, _ in expected}
    m = ArgumentMap.model_validate_json((FIXTURES / "circular-support.json").read_text())
    fired |= {f.code for f in check(m)}
    assert fired == {r.code for r in RULES}
    for name in ("clean-bike-lanes.md", "clean-school-gardens.txt"):
        assert check_fixture(name) == []


@pytest.mark.parametrize(
    "name", ["car-free-main-street.md", "five-day-school-week.md", "library-late-fees.md"]
)
def test_the_clean_example_pieces_get_no_error_or_warning(name: str) -> None:
    path = EXAMPLES / name
    found = check_text(path.read_text(encoding="utf-8"), markdown=True, file=name)
    assert [f for f in found if f.severity is not Severity.INFO] == []


def test_the_op_ed_gets_warnings_an_editor_would_agree_with_and_no_error() -> None:
    path = EXAMPLES / "kellogg-oped.txt"
    found = check_text(path.read_text(encoding="utf-8"), file=path.name)
    assert all(f.severity is not Severity.ERROR for f in found)
    assert ("AM401", 1) in {(f.code, f.line) for f in found}  # a casualty figure, no source


def test_the_pipeline_records_close_rivals_of_the_thesis() -> None:
    from argmap.pipeline import analyze

    text = (FIXTURES / "competing-theses.txt").read_text(encoding="utf-8")
    m = analyze(text)
    thesis = m.unit(m.thesis or "")
    assert thesis.rivals and thesis.score is not None
    assert all(thesis.score - r.score < 1.0 for r in thesis.rivals)
    assert "AM102" in codes(m, text)


@settings(max_examples=60, deadline=None)
@given(
    roles=st.lists(st.sampled_from(list(Role)), min_size=1, max_size=8),
    edges=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.booleans(), st.floats(0.0, 1.0)),
        max_size=12,
    ),
)
def test_any_map_checks_without_error_and_findings_point_at_its_units(
    roles: list[Role], edges: list[tuple[int, int, bool, float]]
) -> None:
    paragraphs: list[list[Spec]] = [
        [(role, f"Sentence {i} says 12 things.", [], EvidenceType.STATISTIC)]
        if role is Role.EVIDENCE
        else [(role, f"Sentence {i} says a thing.")]
        for i, role in enumerate(roles)
    ]
    n = len(roles)
    relations = sorted(
        {(f"u{s % n + 1}", f"u{t % n + 1}", "support" if sup else "attack", round(c, 2))
         for s, t, sup, c in edges if s % n != t % n}
    )  # fmt: skip
    m, text = build(paragraphs, relations, thesis="u1")
    for f in check(m, text):
        assert f.unit is None or f.unit in {u.id for u in m.units}
        assert set(f.related) <= {u.id for u in m.units}
        assert f.message and f.fix


def test_competing_theses_is_silent_when_one_rival_sums_up() -> None:
    m, text = build(
        [
            [(T, "We should open the pool.", CALL)],
            [(P, "Swimming keeps people well.")],
            [
                (
                    C,
                    "For these reasons, the council must act.",
                    [Cue(kind=CueKind.CONCLUSION_MARKER, words="for these reasons")],
                )
            ],
        ],
        [("u2", "u1", "support", 0.45), ("u3", "u1", "support", 0.45)],
    )
    assert "AM102" not in codes(with_rival(m, "u3", 2.2, 2.3), text)
