"""``--weights FILE`` and ``$ARGMAP_WEIGHTS`` on every command that maps.

A bad weights file is one ``error:`` line and exit 2 before anything is
mapped; a good one reaches the pipeline, in this process or in a worker (it
travels inside the pickled task). Weights with no scorers map with the rules
alone, which makes "the weights were used" easy to see.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from argmap import render
from argmap.cli import app
from argmap.cli.batch import Item, run_chunk
from argmap.cli.maps import AnalyzeTask
from argmap.features import FEATURE_VERSION
from argmap.pipeline import analyze
from argmap.scoring import LinearScorer, Weights

runner = CliRunner()

PIECE = (
    "Our town should light its bike paths at night, because riders feel unsafe in the dark.\n"
    "\n"
    "Lamps are cheap. Some say they waste power, but solar lamps need no cables.\n"
)
RULES_ONLY = Weights(feature_version=FEATURE_VERSION, scorers={})
BANG = Weights(
    feature_version=FEATURE_VERSION,
    scorers={
        "thesis": LinearScorer(
            kind="binary",
            classes=["yes"],
            bias={"yes": -5.0},
            weights={"yes": {"ends_with:!": 10.0}},
        )
    },
)
"""A thesis scorer that wants the sentence ending with "!"."""
BANG_TEXT = "Towns should plant trees. Shade cools streets. Trees pay for themselves!\n"


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], env=env)


def one_error(result: Result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "piece.txt").write_text(PIECE, encoding="utf-8")
    (tmp_path / "bang.txt").write_text(BANG_TEXT, encoding="utf-8")
    (tmp_path / "rules.json").write_text(RULES_ONLY.model_dump_json(), encoding="utf-8")
    (tmp_path / "bang.json").write_text(BANG.model_dump_json(), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "fixes.yaml").write_text("", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("", encoding="utf-8")
    return tmp_path


def commands(d: Path) -> list[list[str | Path]]:
    """One invocation of every command that maps."""
    piece = d / "piece.txt"
    return [
        ["analyze", piece],
        ["render", piece, "-f", "dot"],
        ["check", piece],
        ["diff", piece, piece],
        ["stats", piece],
        ["corrections", "init", piece],
        ["corrections", "check", piece, d / "fixes.yaml"],
        ["eval", d / "gold.jsonl"],
    ]


COMMAND_IDS = ["analyze", "render", "check", "diff", "stats", "corr-init", "corr-check", "eval"]


@pytest.mark.parametrize("index", range(len(COMMAND_IDS)), ids=COMMAND_IDS)
@pytest.mark.parametrize(
    ("name", "needle"),
    [("missing.json", "no such file"), ("broken.json", "not an argmap weights file")],
)
def test_a_bad_weights_file_is_one_error_line(
    files: Path, index: int, name: str, needle: str
) -> None:
    args = commands(files)[index]
    one_error(invoke(*args, "--weights", files / name), name, needle)
    one_error(invoke(*args, env={"ARGMAP_WEIGHTS": str(files / name)}), name, needle)


@pytest.mark.parametrize(
    "command",
    [["analyze"], ["render"], ["check"], ["diff"], ["stats"], ["eval"],
     ["corrections", "init"], ["corrections", "check"]],
)  # fmt: skip
def test_help_names_the_option_and_its_variable(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "--weights" in result.stdout and "ARGMAP_WEIGHTS" in result.stdout


def rules_only_json(text: str) -> str:
    return render.to_json(analyze(text, weights=RULES_ONLY))


def scorer_rules(m: dict[str, object]) -> set[str]:
    units = m["units"]
    assert isinstance(units, list)
    return {c["rule"] for u in units for c in u["cues"] if c["rule"].endswith("_scorer")}


def test_the_environment_variable_is_used(files: Path) -> None:
    shipped = invoke("analyze", files / "piece.txt")
    assert shipped.exit_code == 0
    assert scorer_rules(json.loads(shipped.stdout))  # the shipped scorers decide something
    mine = invoke("analyze", files / "piece.txt", env={"ARGMAP_WEIGHTS": str(files / "rules.json")})
    assert mine.exit_code == 0, mine.output
    assert mine.stdout == rules_only_json(PIECE)
    assert not scorer_rules(json.loads(mine.stdout))


def test_the_option_wins_over_the_environment(files: Path) -> None:
    result = invoke(
        "analyze",
        files / "piece.txt",
        "--weights",
        files / "rules.json",
        env={"ARGMAP_WEIGHTS": str(files / "broken.json")},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == rules_only_json(PIECE)


def test_an_empty_variable_means_the_shipped_weights(files: Path) -> None:
    result = invoke("analyze", files / "piece.txt", env={"ARGMAP_WEIGHTS": ""})
    assert result.exit_code == 0, result.output
    assert result.stdout == render.to_json(analyze(PIECE))


def thesis_text(m: dict[str, object]) -> str:
    units = m["units"]
    assert isinstance(units, list)
    return str(next(u["text"] for u in units if u["id"] == m["thesis"]))


@pytest.mark.parametrize(
    ("command", "options"),
    [(["analyze"], ["-f", "outline"]), (["render"], ["-f", "dot"]), (["corrections", "init"], [])],
)
def test_weights_change_the_product(files: Path, command: list[str], options: list[str]) -> None:
    plain = invoke(*command, files / "bang.txt", *options)
    weighted = invoke(*command, files / "bang.txt", *options, "--weights", files / "bang.json")
    assert plain.exit_code == 0 and weighted.exit_code == 0, weighted.output
    assert "Trees pay for themselves!" in weighted.stdout
    assert plain.stdout != weighted.stdout


def test_analyze_json_thesis_follows_the_weights(files: Path) -> None:
    result = invoke("analyze", files / "bang.txt", "--weights", files / "bang.json")
    assert thesis_text(json.loads(result.stdout)) == "Trees pay for themselves!"
    assert thesis_text(json.loads(invoke("analyze", files / "bang.txt").stdout)) != (
        "Trees pay for themselves!"
    )


def test_check_and_diff_map_with_the_weights(files: Path) -> None:
    """A saved map from --weights diffs clean against the same draft mapped with them."""
    saved = files / "bang.map.json"
    result = invoke("analyze", files / "bang.txt", "--weights", files / "bang.json", "-o", saved)
    assert result.exit_code == 0, result.output
    same = invoke("diff", saved, files / "bang.txt", "--weights", files / "bang.json", "-f", "json")
    other = invoke("diff", saved, files / "bang.txt", "-f", "json")
    assert same.exit_code == 0 and other.exit_code == 0, other.output
    assert same.stdout != other.stdout
    checked = invoke("check", files / "bang.txt", "--weights", files / "bang.json", "-f", "json")
    assert checked.exit_code in (0, 1), checked.output


def test_stats_and_a_batch_map_with_the_weights(files: Path, tmp_path: Path) -> None:
    rows = invoke("stats", files / "piece.txt", "--weights", files / "rules.json", "-q")
    assert rows.exit_code == 0, rows.output
    out = tmp_path / "maps"
    out.mkdir()
    batch = invoke(
        "analyze", files / "piece.txt", files / "bang.txt", "--output-dir", out,
        "--weights", files / "bang.json", "-q",
    )  # fmt: skip
    assert batch.exit_code == 0, batch.output
    assert thesis_text(json.loads((out / "bang.json").read_text())) == "Trees pay for themselves!"


def test_eval_scores_the_maps_of_the_weights(files: Path) -> None:
    text = BANG_TEXT.strip()
    parts = ["Towns should plant trees.", "Shade cools streets.", "Trees pay for themselves!"]
    adus, at = [], 0
    for i, part in enumerate(parts):
        start = text.index(part, at)
        at = start + len(part)
        adus.append({"id": f"a{i + 1}", "text": part, "start": start, "end": at,
                     "role": "proponent"})  # fmt: skip
    record = {
        "id": "t1",
        "text": text,
        "adus": adus,
        "central_claim": "a3",
        "tree": [
            {"src": "a1", "trg": "a3", "type": "support", "function": "support"},
            {"src": "a2", "trg": "a3", "type": "support", "function": "support"},
        ],
    }
    gold = files / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")

    def thesis_score(*extra: str | Path) -> float:
        result = invoke("eval", gold, "--gold-segments", "-q", "-f", "json", *extra)
        assert result.exit_code == 0, result.output
        score = json.loads(result.stdout)["decisions"][0]["rows"][0]["thesis"]
        assert isinstance(score, float)
        return score

    assert thesis_score("--weights", files / "bang.json") == 1.0
    assert thesis_score("--weights", files / "rules.json") == 0.0


def test_an_output_never_replaces_the_weights_file(files: Path) -> None:
    weights = files / "rules.json"
    before = weights.read_bytes()
    one_error(invoke("analyze", files / "piece.txt", "--weights", weights, "-o", weights))
    one_error(invoke("stats", files / "piece.txt", "--weights", weights, "-o", weights))
    assert weights.read_bytes() == before


def test_the_weights_travel_to_workers_in_the_task(files: Path) -> None:
    """``--jobs`` pickles the task for each chunk: the weights go with it, not a path."""
    task = pickle.loads(pickle.dumps(AnalyzeTask(weights=BANG)))
    assert task.weights == BANG
    item = Item(str(files / "bang.txt"), "bang", str(files / "bang.txt"))
    (outcome,) = run_chunk(task, [item])
    assert outcome.data is not None
    assert thesis_text(json.loads(outcome.data)) == "Trees pay for themselves!"
