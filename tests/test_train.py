"""Training: fitted weights follow the data, cross-validation counts per group, and
``argmap train`` writes weights that change the map (a test that training teaches).

Needs scikit-learn (the ``train`` extra); every corpus here is invented and tiny.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

pytest.importorskip("sklearn")

from argmap.cli import app
from argmap.features import FEATURE_VERSION, UnitFeatures
from argmap.model import EvidenceType, Role
from argmap.pipeline import analyze
from argmap.scoring import Weights, decide_units, load_weights
from argmap.train.crossval import leave_one_group_out, pooled_folds
from argmap.train.dataset import PieceRows, UnitLabels
from argmap.train.fit import fit_weights

runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


# --- fitting on hand-made rows ------------------------------------------------------------


def label(*, thesis: bool, recommendation: bool) -> UnitLabels:
    return UnitLabels(
        thesis=thesis,
        objection=None,
        recommendation=recommendation,
        evidence=None,
        evidence_type=None,
    )


def piece(n: int, corpus: str = "microtexts", units: int = 4) -> PieceRows:
    """A piece whose thesis (unit n % units) alone has ``cue:mark``; every other unit
    that has ``modal:should`` calls for action. The noise features predict nothing."""
    thesis = n % units
    rows: list[UnitFeatures] = []
    labels: list[UnitLabels] = []
    for i in range(units):
        row: UnitFeatures = {"position:relative": i / (units - 1), f"noise:{(n + i) % 3}": 1.0}
        if i == thesis:
            row["cue:mark"] = 1.0
        calls = i != thesis and (n + i) % 2 == 0
        if calls:
            row["modal:should"] = 1.0
        rows.append(row)
        labels.append(label(thesis=i == thesis, recommendation=calls))
    return PieceRows(
        id=f"{corpus}-{n}",
        corpus=corpus,
        source=corpus,
        rows=rows,
        rules=[(Role.PREMISE, None)] * units,
        rule_thesis=0,
        labels=labels,
        thesis_annotated=True,
        paragraphs=1,
    )


PIECES = [piece(n) for n in range(12)]


def test_a_feature_that_predicts_a_label_gets_a_positive_weight() -> None:
    w = fit_weights(PIECES, trained_on=["invented"], scorers=["thesis", "recommendation"])
    assert w.feature_version == FEATURE_VERSION and w.trained_on == ["invented"]
    assert set(w.scorers) == {"thesis", "recommendation"}
    thesis = w.scorers["thesis"].weights["yes"]
    assert thesis["cue:mark"] > 0 and thesis["cue:mark"] == max(thesis.values())
    assert w.scorers["recommendation"].weights["yes"]["modal:should"] > 0
    assert w.scorers["thesis"].max_paragraphs == 2  # one paragraph, stretched by half
    # and the decision follows: on new rows the marked unit is the thesis, should-units call
    rows: list[UnitFeatures] = [{"modal:should": 1.0}, {}, {"cue:mark": 1.0}, {}]
    rules: list[tuple[Role, EvidenceType | None]] = [(Role.PREMISE, None)] * 4
    thesis_index, verdicts = decide_units(rows, rules, 0, w)
    assert thesis_index == 2
    assert verdicts[0].calls_for_action and verdicts[0].role is Role.RECOMMENDATION
    assert not verdicts[1].calls_for_action


def test_a_scorer_without_enough_gold_is_left_out() -> None:
    w = fit_weights(PIECES[:3], trained_on=["invented"], scorers=["thesis", "evidence"])
    assert w.scorers == {}  # 12 rows are too few, and no unit says anything about evidence


def test_weights_are_data_that_load_back(tmp_path: Path) -> None:
    w = fit_weights(PIECES, trained_on=["invented"], scorers=["thesis"])
    path = tmp_path / "w.json"
    path.write_text(w.model_dump_json(indent=1), encoding="utf-8")
    assert load_weights(path) == w


def test_leave_one_group_out_counts_each_group() -> None:
    pieces = [piece(n, "microtexts") for n in range(10)] + [piece(n, "essays") for n in range(6)]
    out = leave_one_group_out(pieces)
    assert sorted(out) == ["essays", "microtexts"]
    assert out["microtexts"].thesis_texts == 10 and out["essays"].thesis_texts == 6
    assert 0 <= out["essays"].thesis_hits <= 6
    assert sum(out["microtexts"].binary["recommendation"]) == 10 * 4


def test_pooled_folds_count_every_piece_once() -> None:
    pieces = [piece(n, "microtexts") for n in range(10)] + [piece(n, "essays") for n in range(6)]
    out = pooled_folds(pieces, folds=4)
    assert sorted(out) == ["essays", "microtexts"]
    assert out["microtexts"].thesis_texts == 10 and out["essays"].thesis_texts == 6
    assert sum(out["essays"].binary["recommendation"]) == 6 * 4
    # the cue marks the thesis in every piece: fitted on the other folds, it is found
    assert out["microtexts"].thesis_hits == 10
    assert out["microtexts"].metrics()["thesis"] == 1.0


# --- argmap train on an invented corpus ---------------------------------------------------

# Each text's thesis is the one sentence that ends with "!", never its first
# sentence: a call with "should" opens every text, which the shipped weights
# and the rules take for the thesis.
TEXTS = [
    (["The town should paint the old bridge.", "Rust eats the rails.", "Painters are ready.",
      "A fresh coat keeps the bridge safe!"], 3),
    (["Our school should plant more trees.", "Shade cools the yard.", "Trees are cheap.",
      "Green yards make happier pupils!"], 3),
    (["The library should open on Sundays.", "Students need quiet rooms.",
      "Quiet rooms help them focus!", "Staff could rotate shifts."], 2),
    (["The club should buy new nets.", "Old nets tear easily!", "Players trip on holes.",
      "Nets cost little."], 1),
    (["The market should stay open late.", "Workers shop after dark.",
      "Late hours bring more trade!", "Stalls have lights."], 2),
    (["The village should fix the well.", "The water tastes odd.", "Clean water matters most!",
      "Repairs take a week."], 2),
    (["The council should mow the park.", "Tall grass hides litter.", "Kids lose balls there.",
      "A tidy park invites everyone!"], 3),
    (["The bakery should sell smaller loaves.", "Small households waste bread!",
      "Half loaves suit them.", "Bakers agree."], 1),
]  # fmt: skip
HELD_OUT = (
    "The park should get a new fountain. Children play there daily. "
    "Water play teaches a lot! Builders are free in May.\n"
)


def microtext(n: int, parts: list[str], thesis: int) -> dict[str, Any]:
    """One record in the microtexts format: every unit supports the thesis."""
    text = " ".join(parts)
    adus, at = [], 0
    for i, part in enumerate(parts):
        start = text.index(part, at)
        at = start + len(part)
        adus.append({"id": f"a{i + 1}", "text": part, "start": start, "end": at,
                     "role": "proponent"})  # fmt: skip
    central = f"a{thesis + 1}"
    tree = [
        {"src": a["id"], "trg": central, "type": "support", "function": "support"}
        for a in adus
        if a["id"] != central
    ]
    return {"id": f"inv{n}", "text": text, "adus": adus, "central_claim": central, "tree": tree}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("train")
    gold = folder / "invented.jsonl"
    records = [microtext(n, parts, t) for n, (parts, t) in enumerate(TEXTS)]
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = folder / "mine.json"
    result = invoke("train", gold, "-o", out)
    assert result.exit_code == 0, result.output
    assert "thesis" in result.stderr and "on microtexts" in result.stderr
    return out


def thesis_text(m: Any) -> str:
    return next(u.text for u in m.units if u.id == m.thesis)


def test_argmap_train_writes_weights_for_the_annotated_decisions(trained: Path) -> None:
    w = load_weights(trained)
    assert w.trained_on == ["microtexts"]
    assert "thesis" in w.scorers
    for name in ("recommendation", "evidence", "evidence_type"):
        assert name not in w.scorers  # microtexts annotate none of these
    assert w.scorers["thesis"].weights["yes"]["ends_with:!"] > 0


def test_training_teaches(trained: Path, tmp_path: Path) -> None:
    """The held-out text's thesis moves from its opening call to the sentence with "!"."""
    assert thesis_text(analyze(HELD_OUT)) == "The park should get a new fountain."
    assert thesis_text(analyze(HELD_OUT, weights=load_weights(trained))) == (
        "Water play teaches a lot!"
    )
    held = tmp_path / "held.txt"
    held.write_text(HELD_OUT, encoding="utf-8")
    result = invoke("analyze", held, "--weights", trained)
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert next(u["text"] for u in m["units"] if u["id"] == m["thesis"]) == (
        "Water play teaches a lot!"
    )
    assert any(c["rule"] == "thesis_scorer" for u in m["units"] for c in u["cues"])


def test_argmap_train_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps(microtext(0, *TEXTS[0])) + "\n", encoding="utf-8")
    result = invoke("train", gold, "-o", gold)
    assert result.exit_code == 2
    assert result.stderr.count("error:") == 1


def test_weights_record_what_they_were_fitted_on() -> None:
    w = Weights(feature_version=FEATURE_VERSION, trained_on=["a"], scorers={})
    assert json.loads(w.model_dump_json())["format"] == "argmap-weights"
