"""Batch mode: many inputs in one run; one failure never stops the batch or loses an output.

A batch maps what it can, reports each failure on one ``error:`` line, ends
with ``N mapped, M failed: ...`` and exits 1 if anything failed (a single bad
input, not in a batch, is exit 2 like any bad input).
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from argmap import render
from argmap.cli import app, common, parallel
from argmap.cli.batch import Item, MapTask, collect_inputs
from argmap.cli.maps import AnalyzeTask
from argmap.cli.stats import COLUMNS, stats_row
from argmap.errors import InputError
from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit
from argmap.pipeline import analyze, analyze_many, analyze_stream, prepare_text

runner = CliRunner()


def piece(i: int) -> str:
    return (
        f"Our town should plant {i + 2} new trees on Elm Street, because shade keeps walkers "
        "cool.\n\nSome say trees cost too much, but they lower cooling bills for every shop.\n"
    )


def invoke(*args: str | Path, stdin: str | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def folder_of_pieces(root: Path, count: int) -> Path:
    root.mkdir()
    for i in range(count):
        (root / f"piece{i:03d}.txt").write_text(piece(i), encoding="utf-8")
    return root


# --- the batch contract --------------------------------------------------------------------


def test_200_files_with_3_broken_map_the_197_and_exit_1(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 197)
    (folder / "broken-empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "broken-binary.txt").write_bytes(b"\x7fELF\x02\x01\x00\x00")
    (folder / "broken-latin.txt").write_bytes(b"Caf\xe9 owners agree.\n")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", folder, "--output-dir", out, "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    broken = [str(folder / f"broken-{k}.txt") for k in ("binary", "empty", "latin")]
    assert lines[:3] == [
        f"error: {broken[0]}: looks like a binary file, not text",
        f"error: {broken[1]}: the text is empty: there is nothing to map",
        f"error: {broken[2]}: not valid utf-8 (byte 0xe9 at line 1); pass --encoding "
        "(e.g. --encoding latin-1) if the file uses another encoding",
    ]
    assert lines[3:] == [f"197 mapped, 3 failed: {', '.join(broken)}"]
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"piece{i:03d}.json" for i in range(197)]
    for i in (0, 196):
        saved = ArgumentMap.model_validate_json((out / f"piece{i:03d}.json").read_text())
        assert saved == analyze(piece(i))


def test_a_bug_costs_only_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = render.to_json

    def flaky(m: ArgumentMap) -> str:
        if any("17 new trees" in u.text for u in m.units):
            raise RuntimeError("boom")
        return real(m)

    monkeypatch.setattr(render, "to_json", flaky)
    folder = folder_of_pieces(tmp_path / "in", 30)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", folder, "--output-dir", out, "--jobs", "1")
    assert result.exit_code == 1
    bad = folder / "piece015.txt"
    assert result.stderr.splitlines() == [
        f"error: {bad}: internal error (RuntimeError: boom); please report it",
        f"29 mapped, 1 failed: {bad}",
    ]
    assert len(list(out.iterdir())) == 29


def test_a_write_failure_costs_only_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = common.write_output

    def full(target: str | Path, data: bytes, **kwargs: Any) -> None:
        if Path(target).name == "piece002.json":
            raise InputError(f"{target}: cannot write (No space left on device)")
        real(target, data, **kwargs)

    monkeypatch.setattr(common, "write_output", full)
    folder = folder_of_pieces(tmp_path / "in", 4)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", folder, "--output-dir", out, "--jobs", "1")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr.splitlines()[0]
    written = sorted(p.name for p in out.iterdir())
    assert written == ["piece000.json", "piece001.json", "piece003.json"]


def test_jobs_2_writes_the_same_outputs_as_jobs_1(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 9)
    (folder / "zz-empty.txt").write_text("", encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        out.mkdir()
        result = invoke("render", folder, "--output-dir", out, "-f", "dot", "--jobs", jobs)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1].startswith("9 mapped, 1 failed: ")
        outputs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) == 9


def test_a_dead_worker_loses_only_its_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    class FakePool:
        def __init__(self, **kwargs: Any) -> None:
            self.calls = 0

        def submit(self, fn: Any, task: MapTask, chunk: list[Item]) -> Future[Any]:
            self.calls += 1
            future: Future[Any] = Future()
            if self.calls == 2:
                future.set_exception(BrokenProcessPool("killed"))
            else:
                future.set_result(fn(task, chunk))
            return future

        def shutdown(self, **kwargs: Any) -> None:
            pass

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", FakePool)
    items = [Item(f"-{i}", f"p{i}", "-", text=piece(i), field="text", offset=0) for i in range(8)]
    results = list(parallel._results(AnalyzeTask(), items, workers=2))
    chunk = parallel.chunk_items(items, 2)[1]
    failed = [o.item for o in results if o.error]
    assert failed == list(chunk)
    assert all("the worker process failed (BrokenProcessPool: killed)" in (o.error or "")
               for o in results if o.error)  # fmt: skip
    assert sum(1 for o in results if o.data) == len(items) - len(chunk)


def test_auto_jobs_start_workers_only_for_a_big_batch(tmp_path: Path) -> None:
    small = folder_of_pieces(tmp_path / "small", 8)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(8):
        repeats = parallel.AUTO_MIN_BYTES // (8 * len(piece(i))) + 1
        (big / f"p{i}.txt").write_text(piece(i) * repeats, encoding="utf-8")
    cores = parallel.os.cpu_count() or 1
    assert parallel.worker_count(3, collect_inputs([str(small)])) == 3
    assert parallel.worker_count(0, collect_inputs([str(small)])) == 1
    auto = min(cores, parallel.AUTO_MAX_WORKERS)
    assert parallel.worker_count(0, collect_inputs([str(big)])) == (auto if cores > 1 else 1)
    assert parallel.worker_count(0, collect_inputs([str(big)])[:1]) == 1


def test_chunks_balance_workers() -> None:
    items = [Item(str(i), str(i), str(i)) for i in range(200)]
    chunks = parallel.chunk_items(items, 2)
    assert [len(c) for c in chunks][:2] == [16, 16]
    assert sum(len(c) for c in chunks) == 200
    assert [len(c) for c in parallel.chunk_items(items[:5], 2)] == [1] * 5


def test_summary_names_at_most_five_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(7):
        (folder / f"e{i}.txt").write_text("", encoding="utf-8")
    (folder / "good.txt").write_text(piece(1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", folder, "--output-dir", out, "--quiet")
    assert result.exit_code == 1
    names = ", ".join(str(folder / f"e{i}.txt") for i in range(5))
    assert result.stderr.splitlines()[-1] == f"1 mapped, 7 failed: {names} and 2 more"


def test_quiet_and_non_terminal_print_no_progress(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 3)
    out = tmp_path / "out"
    out.mkdir()
    assert invoke("analyze", folder, "--output-dir", out).stderr == "3 mapped, 0 failed\n"
    result = invoke("analyze", folder, "--output-dir", out, "-q")
    assert (result.exit_code, result.stderr) == (0, "")


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(parallel.sys, "stderr", Terminal())
    monkeypatch.setattr(
        common, "stderr_console", lambda: Console(file=buffer, force_terminal=True, width=80)
    )
    with parallel._Reporter(3, quiet=False, description="mapping") as report:
        report.echo("warning: [not markup]")
        for _ in range(3):
            report.advance()
    shown = buffer.getvalue()
    assert "warning: [not markup]" in shown
    assert "3/3" in shown
    with parallel._Reporter(3, quiet=True, description="mapping") as report:
        assert report._progress is None


# --- inputs: folders, JSON Lines ------------------------------------------------------------


def test_folders_by_extension_and_recursively(tmp_path: Path) -> None:
    root = tmp_path / "essays"
    (root / "week1").mkdir(parents=True)
    (root / ".drafts").mkdir()
    (root / "a.txt").write_text(piece(1), encoding="utf-8")
    (root / "b.MD").write_text("# Trees\n\n" + piece(2), encoding="utf-8")
    (root / "notes.rtf").write_text(piece(3), encoding="utf-8")
    (root / "week1" / "a.txt").write_text(piece(4), encoding="utf-8")
    (root / ".drafts" / "c.txt").write_text(piece(5), encoding="utf-8")
    flat = collect_inputs([str(root)])
    assert [(i.out, i.markdown) for i in flat] == [("a", False), ("b", True)]
    deep = collect_inputs([str(root)], recursive=True)
    assert [i.out for i in deep] == ["a", "b", "week1/a"]
    assert [i.out for i in collect_inputs([str(root)], extensions=["rtf"])] == ["notes"]
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", root, "-r", "--output-dir", out, "-f", "outline")
    assert result.exit_code == 0, result.output
    assert (out / "week1" / "a.md").read_text() == render.to_outline(analyze(piece(4)))
    expected = render.to_outline(analyze("# Trees\n\n" + piece(2), markdown=True))
    assert (out / "b.md").read_text() == expected


def test_a_folder_with_one_file_is_a_single_input(tmp_path: Path) -> None:
    root = tmp_path / "one"
    root.mkdir()
    (root / "only.txt").write_text(piece(1), encoding="utf-8")
    result = invoke("analyze", root, "-f", "dot")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == render.to_dot(analyze(piece(1)))


def test_an_empty_folder_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    result = invoke("analyze", tmp_path / "empty")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'empty'}: is a directory with no .markdown, .md, .txt files "
        "(choose others with --ext); add --recursive to look in its subfolders\n"
    )


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "op/1", "text": piece(1)}),
        json.dumps({"text": piece(2)}),
        "",
        "{not json",
        json.dumps({"id": "x", "body": "no text field"}),
        json.dumps({"id": "y", "text": 42}),
        json.dumps({"id": 7, "text": ""}),
    ]
    data = tmp_path / "corpus.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", data, "--jsonl", "text", "--output-dir", out)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"error: {data}:4: not a valid JSON line (")
    assert errors[1:4] == [
        f"error: {data}:5: no field 'text' (fields: body, id); choose one with --jsonl",
        f"error: {data}:6: field 'text' is not a string",
        f"error: {data}:7: the text is empty: there is nothing to map",
    ]
    assert errors[4].startswith("2 mapped, 4 failed: ")
    assert sorted(p.name for p in out.iterdir()) == ["corpus-2.json", "op_1.json"]
    assert ArgumentMap.model_validate_json((out / "op_1.json").read_text()) == analyze(piece(1))


def test_jsonl_from_stdin_and_colliding_ids(tmp_path: Path) -> None:
    record = json.dumps({"id": "same", "text": piece(3)})
    result = invoke("analyze", "-", "--jsonl", "text", "-f", "dot", stdin=record + "\n")
    assert (result.exit_code, result.stdout) == (0, render.to_dot(analyze(piece(3))))
    out = tmp_path / "out"
    out.mkdir()
    twice = record + "\n" + record + "\n"
    result = invoke("analyze", "-", "--jsonl", "text", "--output-dir", out, stdin=twice)
    assert result.exit_code == 2
    assert result.stderr == f"error: two inputs would both be written to {out / 'same.json'}\n"
    assert list(out.iterdir()) == []


def test_output_and_output_dir_together_are_refused(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 2)
    result = invoke("analyze", folder, "--output-dir", tmp_path, "-o", tmp_path / "x.json")
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_a_missing_model_stops_the_batch_with_one_line(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 3)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", folder, "--output-dir", out, "--model", "xx_no_such_model")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "xx_no_such_model" in result.stderr
    assert list(out.iterdir()) == []


def test_saved_maps_in_a_batch_never_load_a_model(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    for i in range(2):
        (folder / f"m{i}.json").write_text(render.to_json(analyze(piece(i))), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = ("render", folder, "--ext", "json", "--output-dir", out, "-f", "dot")
    result = invoke(*args, "--model", "xx_no_such_model")
    assert result.exit_code == 0, result.output
    assert (out / "m1.dot").read_text() == render.to_dot(analyze(piece(1)))


# --- stats ------------------------------------------------------------------------------------


def test_stats_csv(tmp_path: Path) -> None:
    folder = folder_of_pieces(tmp_path / "in", 3)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    target = tmp_path / "stats.csv"
    result = invoke("stats", folder, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"3 mapped, 1 failed: {folder / 'empty.txt'}"
    rows = list(csv.DictReader(target.read_text().splitlines()))
    assert [r["piece"] for r in rows] == [str(folder / f"piece{i:03d}.txt") for i in range(3)]
    assert tuple(rows[0]) == COLUMNS
    m = analyze(piece(0))
    assert int(rows[0]["units"]) == len(m.units)
    assert int(rows[0]["words"]) == len(piece(0).split())
    assert sum(int(rows[0][role.value]) for role in Role) == len(m.units)


def _unit(i: int, role: Role) -> Unit:
    return Unit(id=f"u{i}", role=role, text=f"unit {i}", start=10 * i, end=10 * i + 6, line=1,
                confidence=0.5)  # fmt: skip


def test_stats_row_depth_and_unsupported_claims() -> None:
    roles = [Role.THESIS, Role.PREMISE, Role.CLAIM, Role.EVIDENCE, Role.RECOMMENDATION,
             Role.OBJECTION]  # fmt: skip
    links = [("u2", "u1"), ("u3", "u1"), ("u4", "u3"), ("u5", "u1"), ("u6", "u3")]
    m = ArgumentMap(
        thesis="u1",
        units=[_unit(i + 1, role) for i, role in enumerate(roles)],
        relations=[
            Relation(source=s, target=t, confidence=0.5,
                     kind=RelationKind.ATTACK if s == "u6" else RelationKind.SUPPORT)
            for s, t in links
        ],
    )  # fmt: skip
    row = stats_row("x", m, None)
    assert row["depth"] == 2
    assert row["unsupported_claims"] == 2  # u2 and u5: main points nothing supports
    assert (row["support"], row["attack"], row["words"]) == (4, 1, 12)


# --- the library side: analyze_many -----------------------------------------------------------


def test_analyze_many_equals_analyze_and_keeps_errors_in_place() -> None:
    texts = [piece(1), "", piece(2), "# Title only\n"]
    results = list(analyze_many(texts))
    assert results[0] == analyze(piece(1))
    assert isinstance(results[1], InputError)
    assert results[2] == analyze(piece(2))
    assert results[3] == analyze("# Title only\n")


def test_analyze_stream_passes_other_items_through() -> None:
    marker = object()
    results = list(analyze_stream([marker, prepare_text(piece(1)), marker]))
    assert results[0] is marker and results[2] is marker
    assert results[1] == analyze(piece(1))
