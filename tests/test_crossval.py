"""Cross-validation as ``argmap eval --crossval`` reports it: the table, calibration,
and the command on an invented corpus.

Formatting and calibration are checked on hand-made data; the report on
hand-made training rows and the command on a tiny invented microtexts-format
file need scikit-learn (skipped per test without it). The error line when
scikit-learn is missing needs nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.evaluation.calibration import calibrate
from argmap.evaluation.crossval_table import (
    CrossvalCell,
    CrossvalReport,
    CrossvalRow,
    format_calibration,
    format_crossval,
    format_crossval_json,
)
from argmap.features import UnitFeatures
from argmap.model import Role
from argmap.train.dataset import PieceRows, UnitLabels

METRICS = ["thesis", "objection F1", "recommendation F1", "evidence F1", "evidence type F1"]


# --- calibration on known pairs -----------------------------------------------------------


def test_calibration_bins_and_expected_error_by_hand() -> None:
    pairs = [(0.05, False)] * 8 + [(0.05, True)] * 2  # says 5%, comes true 20%
    pairs += [(0.9, True)] * 9 + [(1.0, True)]  # says 91% on average, comes true 100%
    cal = calibrate(pairs, scorer="evidence", source="pooled 5-fold")
    assert (cal.units, cal.positives) == (20, 12)
    assert len(cal.bins) == 10 and cal.bins[0].low == 0.0 and cal.bins[-1].high == 1.0
    first, top = cal.bins[0], cal.bins[9]
    assert first.count == 10 and first.mean_predicted == pytest.approx(0.05)
    assert first.observed == pytest.approx(0.2)
    assert top.count == 10 and top.mean_predicted == pytest.approx(0.91)  # 1.0 is in the top bin
    assert top.observed == 1.0
    assert all(b.count == 0 and b.mean_predicted is None for b in cal.bins[1:9])
    assert cal.ece == pytest.approx(0.5 * 0.15 + 0.5 * 0.09)


def test_calibration_of_a_perfect_and_of_an_empty_scorer() -> None:
    perfect = calibrate(
        [(0.25, True), (0.25, False), (0.25, False), (0.25, False)], scorer="x", source="s"
    )
    assert perfect.ece == pytest.approx(0.0)
    empty = calibrate([], scorer="x", source="s", bins=4)
    assert empty.ece is None and empty.units == 0 and len(empty.bins) == 4
    with pytest.raises(ValueError):
        calibrate([], scorer="x", source="s", bins=0)


# --- the table, on a hand-made report -----------------------------------------------------


def _report() -> CrossvalReport:
    def cell(rules: float, loco: float, pooled: float, fallback: float = 0.0) -> CrossvalCell:
        return CrossvalCell(rules=rules, loco=loco, pooled=pooled, loco_fallback=fallback)

    rows = [
        CrossvalRow(
            group="microtexts",
            corpus="microtexts",
            pieces=12,
            cells={
                "thesis": cell(0.83, 0.777, 0.875),
                "objection F1": CrossvalCell(
                    rules=0.8, loco=0.8, pooled=0.8, loco_fallback=1.0, pooled_fallback=1.0
                ),
            },
        ),
        CrossvalRow(
            group="dailysun",
            corpus="editorials",
            pieces=3,
            cells={"evidence F1": cell(0.5, 0.6, 0.65, fallback=0.5)},
        ),
        CrossvalRow(
            group="cdcp",
            corpus="cdcp",
            pieces=7,
            cells={"recommendation F1": cell(0.7, 0.7, 0.8, 1.0)},
        ),
    ]
    calibration = [
        calibrate([(0.15, False), (0.85, True)], scorer="evidence", source="pooled 5-fold"),
        calibrate([(0.35, False)], scorer="evidence", source="leave-one-group-out"),
    ]
    return CrossvalReport(
        metrics=METRICS,
        folds=5,
        c=0.5,
        scorers=["thesis", "recommendation", "evidence", "evidence_type"],
        rows=rows,
        calibration=calibration,
    )


def test_crossval_table_three_numbers_per_cell_and_marks() -> None:
    table = format_crossval(_report())
    lines = table.splitlines()
    assert "rules / leave-one-group-out / pooled 5-fold CV" in lines[0]
    header = lines[2]
    assert header.split()[:3] == ["group", "pieces", "thesis"]
    assert "recommendation F1" in header and "evidence type F1" in header
    assert lines[3].count("rules / LOCO / CV") == len(METRICS)
    micro, editorial, cdcp = lines[4:7]
    assert micro.startswith("microtexts ") and "0.830 / 0.777 / 0.875" in micro
    assert "0.800 / 0.800* / 0.800*" in micro  # left to the rules: every number is theirs
    assert editorial.startswith("editorials/dailysun ") and "0.500 / 0.600~ / 0.650" in editorial
    assert "0.700 / 0.700* / 0.800" in cdcp
    # blank where the group does not annotate the decision
    for metric in ("thesis", "objection F1", "recommendation F1"):
        assert editorial[header.index(metric) : header.index(metric) + len(metric)].strip() == ""
    assert micro[header.index("objection F1") + len("objection F1") :].strip() == ""
    assert "left to the rules: objection" in table
    assert "*: no scorer decided" in table and "blank:" in table


def test_calibration_section_lists_bins_and_the_other_source() -> None:
    text = format_calibration(_report().calibration)
    assert "evidence (pooled 5-fold): ECE 0.150 on 2 units (1 positive)" in text
    assert "  0.1-0.2        0.150     0.000       1" in text
    assert ["0.4-0.5", "0"] in [line.split() for line in text.splitlines()]  # an empty bin
    assert "leave-one-group-out: ECE 0.350 on 1 units (0 positive)" in text
    assert format_calibration([]) == "calibration: no binary scorer was fitted"


def test_crossval_json_holds_every_cell() -> None:
    document = json.loads(format_crossval_json(_report()))["crossval"]
    assert [r["group"] for r in document["rows"]] == ["microtexts", "dailysun", "cdcp"]
    assert document["rows"][0]["cells"]["thesis"] == {
        "rules": 0.83,
        "loco": 0.777,
        "pooled": 0.875,
        "loco_fallback": 0.0,
        "pooled_fallback": 0.0,
    }
    assert CrossvalReport.model_validate(document) == _report()


# --- the report, from hand-made training rows ---------------------------------------------


def _labels(*, thesis: bool | None, recommendation: bool | None) -> UnitLabels:
    return UnitLabels(
        thesis=thesis,
        objection=None if thesis is None else False,
        recommendation=recommendation,
        evidence=None,
        evidence_type=None,
    )


def _piece(n: int, corpus: str, units: int = 4) -> PieceRows:
    """Theses carry ``cue:mark`` (microtexts, essays); calls carry ``modal:should`` (cdcp)."""
    annotated = corpus != "cdcp"
    rows: list[UnitFeatures] = []
    labels: list[UnitLabels] = []
    for i in range(units):
        row: UnitFeatures = {f"noise:{(n + i) % 3}": 1.0}
        thesis = i == n % units
        calls = (n + i) % 2 == 0
        if annotated and thesis:
            row["cue:mark"] = 1.0
        if not annotated and calls:
            row["modal:should"] = 1.0
        rows.append(row)
        labels.append(
            _labels(
                thesis=thesis if annotated else None,
                recommendation=None if annotated else calls,
            )
        )
    return PieceRows(
        id=f"{corpus}-{n}",
        corpus=corpus,
        source=corpus,
        rows=rows,
        rules=[(Role.PREMISE, None)] * units,
        rule_thesis=0,
        labels=labels,
        thesis_annotated=annotated,
        paragraphs=1,
    )


def test_crossval_report_on_invented_rows() -> None:
    pytest.importorskip("sklearn")
    from argmap.train.crossval import crossval_report, leave_one_group_out, pooled_folds

    pieces = [_piece(n, "microtexts") for n in range(10)]
    pieces += [_piece(n, "essays") for n in range(10)]
    pieces += [_piece(n, "cdcp") for n in range(10)]
    calls: list[int] = []
    report = crossval_report(pieces, folds=4, progress=lambda: calls.append(1))
    assert len(calls) == 3 + 4  # one fit per group left out, one per fold
    assert report.scorers == ["thesis", "recommendation", "evidence", "evidence_type"]
    rows = {r.group: r for r in report.rows}
    assert list(rows) == ["microtexts", "essays", "cdcp"]
    assert set(rows["microtexts"].cells) == {"thesis", "objection F1"}
    assert set(rows["cdcp"].cells) == {"recommendation F1"}
    micro = rows["microtexts"].cells["thesis"]
    assert micro.rules == 0.3 and micro.loco == 1.0 and micro.pooled == 1.0  # the cue is learned
    assert micro.loco_fallback == 0.0
    assert rows["microtexts"].cells["objection F1"].loco_fallback == 1.0  # left to the rules
    recommendation = rows["cdcp"].cells["recommendation F1"]
    assert recommendation.loco_fallback == 1.0  # no other group annotates it
    assert recommendation.loco == recommendation.rules and recommendation.pooled == 1.0
    assert recommendation.pooled_fallback == 0.0
    (cal,) = report.calibration  # only the pooled folds had a recommendation scorer
    assert (cal.scorer, cal.source, cal.units, cal.positives) == (
        "recommendation",
        "pooled 4-fold",
        40,
        20,
    )
    assert "0.300 / 1.000 / 1.000" in format_crossval(report)
    # the counting functions keep their behaviour and gain the scorers' records
    loco = leave_one_group_out(pieces)
    assert loco["cdcp"].fallback("recommendation") == 1.0 and loco["cdcp"].pairs == {}
    pooled = pooled_folds(pieces, folds=4)
    assert pooled["cdcp"].decided["recommendation"] == [10, 0]
    assert len(pooled["cdcp"].pairs["recommendation"]) == 40
    assert pooled["microtexts"].fallback("evidence") is None


# --- the command, on an invented microtexts-format file -----------------------------------

TEXTS = [
    ("The town should plant more trees.", "Trees cool the streets in summer.",
     "Some say the roots break the pavement.", "But careful planting avoids that."),
    ("Schools should start later in the morning.", "Tired pupils learn less.",
     "Critics claim buses would cost more.", "Yet the same buses can run a later route."),
    ("Libraries must stay open on Sundays.", "Many families are free only at weekends.",
     "One might object that staff need rest.", "However, shifts can be rotated."),
    ("Cities ought to ban cars from the old centre.", "Narrow lanes are unsafe for walkers.",
     "Shop owners fear losing customers.", "In fact, walkers buy more in small shops."),
    ("Every park needs free drinking fountains.", "Hot days are getting more common.",
     "Some argue fountains are costly to clean.", "But one cleaning a week is enough."),
    ("Our club should switch to electric mowers.", "They are quiet in the early hours.",
     "Others say batteries run out quickly.", "Still, two batteries cover a whole lawn."),
    ("The council should print fewer leaflets.", "Most residents read the news online.",
     "A few people lack internet at home.", "Yet the library prints on request."),
    ("Museums ought to be free for children.", "Visits shape what young people love.",
     "Some fear crowds would damage the rooms.", "But timed tickets keep numbers low."),
]  # fmt: skip


def _microtexts(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n, units in enumerate(TEXTS):
            text = " ".join(units)
            adus, start = [], 0
            for i, unit in enumerate(units):
                end = start + len(unit)
                role = "opponent" if i == 2 else "proponent"
                adus.append(
                    {"id": f"a{i + 1}", "text": unit, "start": start, "end": end, "role": role}
                )
                start = end + 1
            tree = [
                {"src": "a2", "trg": "a1", "type": "sup", "function": "support"},
                {"src": "a3", "trg": "a1", "type": "reb", "function": "attack"},
                {"src": "a4", "trg": "a3", "type": "und", "function": "attack"},
            ]
            record = {
                "id": f"t{n}",
                "text": text,
                "adus": adus,
                "central_claim": "a1",
                "tree": tree,
            }
            out.write(json.dumps(record) + "\n")
    return path


def test_eval_crossval_on_an_invented_corpus(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    gold = _microtexts(tmp_path / "tiny.jsonl")
    cache = tmp_path / "rows"
    runner = CliRunner()
    args = ["eval", str(gold), "--crossval", "--learn", "objection", "--cache", str(cache), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.startswith("microtexts "))
    assert row.split()[1] == "8"
    assert row.count("*") >= 2  # one group: leave-one-group-out has nothing to fit on
    assert "allows: thesis, objection, recommendation, evidence, evidence_type" in result.stdout
    assert "objection (pooled 5-fold): ECE" in result.stdout
    assert list(cache.glob("tiny-*.pkl"))  # parsed once, kept
    assert not any(line.startswith("corpus ") for line in lines)  # no decision table unless asked

    result = runner.invoke(
        app, ["eval", str(gold), "--crossval", "--no-cache", "--gold-segments", "-f", "json", "-q"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [r["group"] for r in document["crossval"]["rows"]] == ["microtexts"]
    assert document["crossval"]["scorers"] == [
        "thesis",
        "recommendation",
        "evidence",
        "evidence_type",
    ]
    assert document["decisions"][0]["rows"][0]["group"] == "microtexts"


def test_eval_crossval_without_scikit_learn_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = _microtexts(tmp_path / "tiny.jsonl")
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    result = CliRunner().invoke(app, ["eval", str(gold), "--crossval"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: argmap eval --crossval needs scikit-learn: pip install 'argmap[train]'\n"
    )


def test_eval_crossval_refuses_a_decision_it_cannot_learn(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    gold = _microtexts(tmp_path / "tiny.jsonl")
    result = CliRunner().invoke(app, ["eval", str(gold), "--crossval", "--learn", "thesis"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --learn 'thesis': ")
