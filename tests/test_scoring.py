"""The learned scorers as data: probabilities by hand, decisions, fallbacks, the weights file.

Every number here is computed by hand from a tiny hand-written ``Weights``, so
a change to how a score is summed, squashed or thresholded shows up as a
plain arithmetic mismatch.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import pytest

from argmap.errors import InputError
from argmap.features import FEATURE_VERSION, UnitFeatures
from argmap.model import EvidenceType, Role
from argmap.scoring import LinearScorer, Weights, decide_units, default_weights, load_weights
from argmap.scoring.decide import CALL_CONSTRAINTS

BINARY = LinearScorer(
    kind="binary",
    classes=["yes"],
    bias={"yes": -1.0},
    weights={"yes": {"cue:a": 2.0, "cue:b": -0.5, "cue:c": 0.001}},
    threshold=0.7,
)
TYPES = LinearScorer(
    kind="multiclass",
    classes=["example", "statistic", "testimony"],
    bias={"example": 0.5, "statistic": 0.0, "testimony": -0.5},
    weights={"statistic": {"number:figure": 2.0}, "testimony": {"cue:attribution": 1.5}},
)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def weights(**scorers: LinearScorer) -> Weights:
    return Weights(feature_version=FEATURE_VERSION, scorers=scorers)


# --- one scorer ---------------------------------------------------------------------------


def test_binary_probability_and_contributions_by_hand() -> None:
    row: UnitFeatures = {"cue:a": 1.0, "cue:b": 2.0, "cue:c": 1.0, "cue:other": 1.0}
    # -1 + 2*1 - 0.5*2 + 0.001*1 = 0.001
    assert BINARY.probabilities(row) == pytest.approx({"yes": sigmoid(0.001)})
    # strongest first; cue:c moved the score by under 0.005, unlisted features not at all
    assert BINARY.contributions("yes", row) == [("cue:a", 2.0), ("cue:b", -1.0)]
    assert BINARY.contributions("yes", row, top=1) == [("cue:a", 2.0)]
    assert BINARY.probabilities({}) == pytest.approx({"yes": sigmoid(-1.0)})


def test_multiclass_softmax_by_hand_sums_to_one() -> None:
    row: UnitFeatures = {"number:figure": 1.0}
    logits = {"example": 0.5, "statistic": 2.0, "testimony": -0.5}
    total = sum(math.exp(v) for v in logits.values())
    probs = TYPES.probabilities(row)
    assert probs == pytest.approx({k: math.exp(v) / total for k, v in logits.items()})
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.__getitem__) == "statistic"
    assert TYPES.contributions("statistic", row) == [("number:figure", 2.0)]
    assert TYPES.contributions("example", row) == []


def test_covers_the_paragraphs_it_was_fitted_on() -> None:
    short = BINARY.model_copy(update={"max_paragraphs": 3})
    assert short.covers(1) and short.covers(3) and not short.covers(4)
    assert BINARY.covers(10_000)


# --- decide_units -------------------------------------------------------------------------

RULES: list[tuple[Role, EvidenceType | None]] = [
    (Role.PREMISE, None),
    (Role.EVIDENCE, EvidenceType.STATISTIC),
    (Role.RECOMMENDATION, None),
    (Role.OBJECTION, None),
    (Role.CLAIM, None),
]
ROWS: list[UnitFeatures] = [{"cue:x": 1.0}, {}, {}, {}, {"cue:t": 1.0}]


def test_no_scorers_leaves_every_decision_to_the_rules() -> None:
    thesis, verdicts = decide_units(ROWS, RULES, 0, weights())
    assert thesis == 0
    assert [v.role for v in verdicts] == [Role.THESIS, *(role for role, _ in RULES[1:])]
    assert all(v.scorer == "rule" for v in verdicts)
    assert verdicts[1].evidence_type is EvidenceType.STATISTIC
    assert [v.calls_for_action for v in verdicts] == [False, False, True, False, False]


def test_a_missing_scorer_falls_back_to_its_rule() -> None:
    """Weights with only a thesis scorer: the thesis moves, every other role stays the rules'."""
    thesis_scorer = LinearScorer(
        kind="binary", classes=["yes"], bias={"yes": -2.0}, weights={"yes": {"cue:t": 4.0}}
    )
    thesis, verdicts = decide_units(ROWS, RULES, 0, weights(thesis=thesis_scorer))
    assert thesis == 4
    assert verdicts[4].role is Role.THESIS and verdicts[4].scorer == "thesis"
    assert verdicts[4].thesis_probability == pytest.approx(sigmoid(2.0))
    assert verdicts[4].contributions == (("cue:t", 4.0),)
    assert [v.role for v in verdicts[:4]] == [role for role, _ in RULES[:4]]
    assert all(v.scorer == "rule" for v in verdicts[:4])


def test_a_scorer_that_does_not_cover_a_long_text_leaves_it_to_the_rules() -> None:
    thesis_scorer = LinearScorer(
        kind="binary",
        classes=["yes"],
        bias={"yes": -2.0},
        weights={"yes": {"cue:t": 4.0}},
        max_paragraphs=2,
    )
    w = weights(thesis=thesis_scorer)
    assert decide_units(ROWS, RULES, 0, w, paragraphs=2)[0] == 4
    assert decide_units(ROWS, RULES, 0, w, paragraphs=3)[0] == 0


def test_the_binary_threshold_decides() -> None:
    """Recommendation probability 0.73 (bias -1, cue:a +2): a call at threshold 0.7, not at 0.75."""
    rules: list[tuple[Role, EvidenceType | None]] = [(Role.CLAIM, None), (Role.PREMISE, None)]
    rows: list[UnitFeatures] = [{}, {"cue:a": 1.0}]
    _, verdicts = decide_units(rows, rules, 0, weights(recommendation=BINARY))
    assert verdicts[1].calls_for_action and verdicts[1].role is Role.RECOMMENDATION
    assert verdicts[1].probability == pytest.approx(sigmoid(1.0))
    assert verdicts[1].contributions == (("cue:a", 2.0),)
    strict = BINARY.model_copy(update={"threshold": 0.75})
    _, verdicts = decide_units(rows, rules, 0, weights(recommendation=strict))
    assert not verdicts[1].calls_for_action and verdicts[1].role is Role.PREMISE


def test_evidence_type_is_the_most_probable_class() -> None:
    evidence = LinearScorer(kind="binary", classes=["yes"], bias={"yes": 3.0}, weights={})
    rules: list[tuple[Role, EvidenceType | None]] = [(Role.CLAIM, None), (Role.PREMISE, None)]
    rows: list[UnitFeatures] = [{}, {"cue:attribution": 1.0}]
    w = weights(evidence=evidence, evidence_type=TYPES)
    _, verdicts = decide_units(rows, rules, 0, w)
    # testimony: -0.5 + 1.5 = 1.0 beats example 0.5 and statistic 0.0
    assert verdicts[1].role is Role.EVIDENCE
    assert verdicts[1].evidence_type is EvidenceType.TESTIMONY


@pytest.mark.parametrize(("feature", "calls"), sorted(CALL_CONSTRAINTS.items()))
def test_constructions_settle_calls_for_action(feature: str, calls: bool) -> None:
    """Whatever the recommendation scorer says, a construction decides, and is the reason."""
    says = LinearScorer(
        kind="binary", classes=["yes"], bias={"yes": -10.0 if calls else 10.0}, weights={}
    )
    rules: list[tuple[Role, EvidenceType | None]] = [(Role.CLAIM, None), (Role.PREMISE, None)]
    rows: list[UnitFeatures] = [{}, {feature: 1.0}]
    _, verdicts = decide_units(rows, rules, 0, weights(recommendation=says))
    assert verdicts[1].calls_for_action is calls
    if calls:
        assert verdicts[1].role is Role.RECOMMENDATION
        assert verdicts[1].scorer == "construction"
        assert verdicts[1].contributions == ((feature, 1.0),)


def test_known_constructions() -> None:
    assert CALL_CONSTRAINTS == {
        "construction:means_end": True,
        "construction:reader_directive": False,
        "construction:echoed_imperative": False,
    }


def test_no_units_no_thesis() -> None:
    assert decide_units([], [], None, weights(thesis=BINARY)) == (None, [])


# --- the weights file ---------------------------------------------------------------------


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_load_weights_round_trip(tmp_path: Path) -> None:
    w = weights(thesis=BINARY, evidence_type=TYPES)
    path = write(tmp_path / "w.json", w.model_dump_json())
    assert load_weights(path) == w
    assert load_weights(str(path)) == w


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", r"not an argmap weights file \(document: Invalid JSON"),
        ("[1, 2]", r"not an argmap weights file"),
        ('{"feature_version": 1, "scorers": {}}', r"made for features v1, this argmap has v\d+"),
        (
            json.dumps({"feature_version": FEATURE_VERSION, "scorers": {"t": {"kind": "odd"}}}),
            r"not an argmap weights file \(scorers\.t\.kind",
        ),
        (
            '{"feature_version": 1, "scorers": ' + "[" * 5000 + "]" * 5000 + "}",
            r"not an argmap weights file",
        ),
        (
            json.dumps({"feature_version": FEATURE_VERSION, "scorers": {}, "x": "y" * 2_100_000}),
            r"too large for a weights file",
        ),
        (b"\xff\xfe\x00garbage", r"weights"),
    ],
    ids=["not-json", "not-object", "old-version", "bad-scorer", "deep", "too-large", "binary"],
)
def test_load_weights_errors_name_the_file(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = write(tmp_path / "mine.weights.json", content)
    with pytest.raises(InputError, match=message) as caught:
        load_weights(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_load_weights_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"gone\.json"):
        load_weights(tmp_path / "gone.json")


def test_shipped_weights() -> None:
    shipped = resources.files("argmap.scoring").joinpath("weights.json")
    assert len(shipped.read_bytes()) < 2_000_000
    with resources.as_file(shipped) as path:
        w = load_weights(path)
    assert w.feature_version == FEATURE_VERSION
    assert {"thesis", "recommendation", "evidence", "evidence_type"} <= set(w.scorers)
    assert "objection" not in w.scorers  # left to the rules, which transfer better
    assert w.scorers["evidence_type"].kind == "multiclass"
    assert w.scorers["thesis"].max_paragraphs is not None
    assert w.trained_on


def test_default_weights_is_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGMAP_WEIGHTS", raising=False)
    default_weights.cache_clear()
    try:
        shipped = resources.files("argmap.scoring").joinpath("weights.json")
        assert default_weights() == Weights.model_validate_json(shipped.read_bytes())
    finally:
        default_weights.cache_clear()


def test_default_weights_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = weights(thesis=BINARY)
    monkeypatch.setenv("ARGMAP_WEIGHTS", str(write(tmp_path / "w.json", mine.model_dump_json())))
    default_weights.cache_clear()
    try:
        assert default_weights() == mine
    finally:
        default_weights.cache_clear()
