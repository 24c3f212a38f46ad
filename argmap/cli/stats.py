"""``argmap stats``: one CSV row per piece, for grading a class set or analysing a corpus.

The numbers are structural, read off the map: how many units of each role,
how deep the tree goes, how many main points stand without support, how much
evidence there is. They are computed in the batch's workers (``stats_row``)
and written once, atomically, when the batch is done.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    DEFAULT_EXTENSIONS,
    DEFAULT_MAX_CHARS,
    EncodingOpt,
    ExtOpt,
    FilesArg,
    Item,
    JobsOpt,
    JsonlOpt,
    MapTask,
    MarkdownOpt,
    MaxCharsOpt,
    ModelOpt,
    Outcome,
    QuietOpt,
    RecursiveOpt,
    WeightsOpt,
    app,
    collect_inputs,
    errors_as_messages,
    fail,
    read_weights,
    run_batch,
    summarize,
)
from argmap.model import EvidenceType, RelationKind, Role

if TYPE_CHECKING:
    from argmap.model import ArgumentMap

__all__ = ["COLUMNS", "StatsTask", "stats", "stats_row"]

COLUMNS = (
    "piece",
    "words",
    "units",
    *(role.value for role in Role),
    *(f"evidence_{kind.value}" for kind in EvidenceType),
    "support",
    "attack",
    "unattached",
    "depth",
    "unsupported_claims",
)


def stats_row(name: str, m: ArgumentMap, text: str | None) -> dict[str, str | int]:
    """The statistics of one map (``text`` gives the word count; else the units' words).

    ``depth`` counts relation steps from the deepest unit up to the thesis (0:
    a thesis alone). ``unsupported_claims`` counts the thesis and the main
    points (premises, claims and recommendations that support the thesis
    directly) that no unit supports.
    """
    roles = Counter(u.role for u in m.units)
    evidence = Counter(u.evidence_type for u in m.units if u.role is Role.EVIDENCE)
    kinds = Counter(r.kind for r in m.relations)
    supported = {r.target for r in m.relations if r.kind is RelationKind.SUPPORT}
    main_points = {
        r.source for r in m.relations if r.kind is RelationKind.SUPPORT and r.target == m.thesis
    }
    by_id = {u.id: u for u in m.units}
    unsupported = sum(
        1
        for uid in (main_points | ({m.thesis} if m.thesis else set())) - supported
        if uid == m.thesis or by_id[uid].role in {Role.PREMISE, Role.CLAIM, Role.RECOMMENDATION}
    )
    words = len(text.split()) if text is not None else sum(len(u.text.split()) for u in m.units)
    return {
        "piece": name,
        "words": words,
        "units": len(m.units),
        **{role.value: roles[role] for role in Role},
        **{f"evidence_{kind.value}": evidence[kind] for kind in EvidenceType},
        "support": kinds[RelationKind.SUPPORT],
        "attack": kinds[RelationKind.ATTACK],
        "unattached": len(m.unattached),
        "depth": _depth(m),
        "unsupported_claims": unsupported,
    }


def _walk(parent: dict[str, str], start: str) -> tuple[str, int]:
    """Where a unit's chain of relations ends, and after how many steps (cycles stop it)."""
    steps, node, seen = 0, start, {start}
    while node in parent and parent[node] not in seen:
        node = parent[node]
        seen.add(node)
        steps += 1
    return node, steps


def _depth(m: ArgumentMap) -> int:
    """The longest chain of relations from a unit to the thesis.

    A chain that ends at a root is walked once for all its units (a unit's
    steps are its parent's plus one): walking it from every unit was quadratic
    in a long chain. A unit whose chain runs into a cycle is walked on its own.
    """
    parent = {r.source: r.target for r in m.relations}
    known: dict[str, tuple[str, int]] = {}
    deepest = 0
    for unit in m.units:
        path, on_path, node = [], set(), unit.id
        while node not in known and node in parent and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parent[node]
        if node in on_path:  # a cycle: the walk's end depends on where it starts
            end, steps = _walk(parent, unit.id)
        else:
            end, steps = known.get(node, (node, 0))
            for back, step in enumerate(reversed(path), start=1):
                known[step] = (end, steps + back)
            end, steps = known.get(unit.id, (end, steps))
        if end == m.thesis:
            deepest = max(deepest, steps)
    return deepest


@dataclass(frozen=True)
class StatsTask(MapTask):
    """stats' product for one input: its row, as JSON (rows travel back from workers)."""

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        return json.dumps(stats_row(item.name, m, text)).encode()


@app.command()
def stats(
    files: FilesArg,
    output: Annotated[
        str, typer.Option("-o", "--output", help="CSV file to write ('-' for stdout).")
    ] = "-",
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    recursive: RecursiveOpt = False,
    ext: ExtOpt = None,
    jsonl: JsonlOpt = None,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    weights: WeightsOpt = None,
) -> None:
    """One CSV row per piece: units by role, depth, unsupported claims, evidence.

    Columns: piece, words, units, one count per role (thesis, claim, premise,
    evidence, recommendation, objection), evidence by type, support and attack
    relations, unattached units, depth (steps from the deepest unit to the
    thesis) and unsupported_claims (the thesis and main points nothing supports).
    Pieces that fail are reported on stderr and left out; the exit code is then 1
    (2, with nothing written, when the only input fails).

    Examples:

      argmap stats essays/ -o stats.csv

      argmap stats corpus.jsonl --jsonl text -o stats.csv --jobs 2
    """
    from argmap.output import output_problem, write_output

    chosen = read_weights(weights)
    items = collect_inputs(
        files, recursive=recursive, extensions=ext or DEFAULT_EXTENSIONS, jsonl=jsonl
    )
    inputs = [item.path for item in items] + ([str(weights)] if weights else [])
    problem = None if output == "-" else output_problem(output, inputs)
    if problem is not None:
        fail(problem)
    rows: list[dict[str, str | int]] = []

    def collect(outcome: Outcome) -> None:
        rows.append(json.loads(outcome.data or b"{}"))

    task = StatsTask(
        markdown=markdown, model=model, encoding=encoding, max_chars=max_chars, weights=chosen
    )
    with errors_as_messages():
        failures = run_batch(task, items, collect, jobs=jobs, quiet=quiet)
        if failures and len(items) == 1:
            raise typer.Exit(2)  # one input that fails is bad input; its error line is out
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_output(output, buffer.getvalue().encode(), inputs=inputs)
    summarize(len(items), failures, quiet=quiet)
