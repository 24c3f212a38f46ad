"""The bench script's parts work on tiny input (a smoke test: no timing is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from argmap.model import ArgumentMap, Role

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("argmap_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["argmap_bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(bench: ModuleType, tmp_path: Path) -> object:
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "a.txt").write_text(
        "Our library should stay open late, because students need a quiet place.\n"
    )
    (examples / "b.md").write_text("# Buses\n\nThe city should buy buses. They are cheap.\n")
    return bench.build_corpus(examples, tmp_path / "no-such.jsonl", target_words=60)


def test_corpus_without_shared_data_says_so(bench: ModuleType, corpus: object) -> None:
    assert corpus.words >= 60  # type: ignore[attr-defined]
    assert [md for _, md in corpus.texts[:2]] == [False, True]  # type: ignore[attr-defined]
    assert "microtexts skipped" in corpus.notes[0]  # type: ignore[attr-defined]


def test_overhead_and_memory_report_their_figures(bench: ModuleType, corpus: object) -> None:
    overhead = bench.measure_overhead(corpus, rounds=1, slices=2)
    assert overhead["ratio"] > 0 and overhead["argmap_words_per_s"] > 0
    assert "ner" in overhead["excluded"] and "ner" not in overhead["pipeline"]
    assert "attribute_ruler" in overhead["pipeline"] and overhead["stand_in"] is True
    assert overhead["cached_lemmatizer"] is True
    memory = bench.measure_memory(corpus, words=80)
    assert memory["peak_mb"] >= memory["model_loaded_mb"] > 0
    assert memory["units"] > 0


def test_synthetic_map_is_a_valid_60_unit_tree(bench: ModuleType) -> None:
    m = bench.synthetic_map(60)
    assert isinstance(m, ArgumentMap)
    assert len(m.units) == 60 and m.units[0].role is Role.THESIS
    assert len(m.relations) == 59


@pytest.mark.needs_dot
def test_render_measures_one_render(bench: ModuleType) -> None:
    result = bench.measure_render(units=5, repeats=1)
    assert result["svg_ms"] > 0


def test_table_shows_targets_and_the_machine(bench: ModuleType) -> None:
    results = {
        "machine": {"date": "2026-01-01", "cpu": "CPU", "cores": 2, "python": "3.11",
                    "spacy": "3.8"},
        "model": "m",
        "notes": ["a note"],
        "overhead": {"ratio": 0.9, "ratio_cpu": 0.9, "spacy_words_per_s": 9000.0,
                     "argmap_words_per_s": 10000.0, "excluded": ["ner"], "pipeline": ["parser"],
                     "stand_in": True, "cached_lemmatizer": True, "words": 100, "texts": 2},
        "cold_cli": {"ratio": 1.6, "ratio_cpu": 1.5, "argmap_s": 2.0, "spacy_load_s": 1.25,
                     "spacy_load_no_ner_s": 1.2},
        "render": {"units": 60, "dot_ms": 20.0, "svg_ms": 30.0},
        "memory": {"words": 20000, "peak_mb": 250, "model_loaded_mb": 150},
        "jobs": {"runs": [{"files": 20, "words": 900, "jobs": 0, "ratio": 1.01, "s": 2.02,
                           "s_jobs1": 2.0}]},
    }  # fmt: skip
    text = bench.table(results)
    assert "<= 0.95  ok" in text
    assert "<= 1.5  MISSED" in text
    assert "--jobs 0 (auto) / 1" in text and "1.01" in text and "(2.0 s / 2.0 s)" in text
    assert "without ner" in text
    assert "attribute_ruler: exact stand-in, lemmatizer: exact stand-in" in text
    assert text.endswith("a note")


def test_the_bare_side_is_spacys_own_pipeline(bench: ModuleType, corpus: object) -> None:
    from argmap.lemmatizer import uses_cached
    from argmap.nlp import load_model
    from argmap.ruler import uses_stand_in

    assert uses_stand_in(load_model()) and not uses_stand_in(load_model(stock=True))
    assert uses_cached(load_model()) and not uses_cached(load_model(stock=True))
    assert bench.TARGETS["overhead"] <= 0.95 and bench.TARGETS["memory_mb"] <= 200


def test_jobs_rows_are_ratios_of_alternated_runs(
    bench: ModuleType, corpus: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    seconds = {"1": 2.0, "2": 1.0, "0": 2.2}

    def fake_run(command: list[str]) -> tuple[float, float]:
        calls.append(command[-1])
        return seconds[command[-1]], 0.0

    monkeypatch.setattr(bench, "_child_run", fake_run)
    result = bench.measure_jobs(corpus, sizes=(2,), jobs=(2, 0), rounds=3)
    assert calls == ["1", "2", "0", "2", "0", "1", "0", "1", "2"]
    ratios = {run["jobs"]: run["ratio"] for run in result["runs"]}
    assert ratios == {2: 0.5, 0: 1.1}
