"""``make bench``: argmap's speed and memory on this machine, as ratios from one run.

Every figure that has a target is a *ratio* of two things measured side by
side in the same run (interleaved rounds, median of the per-round ratios), so
it holds on a busy or a slow machine where absolute seconds would not:

- argmap / spaCy: argmap mapping a ~50,000-word corpus (the op-eds in
  ``examples/`` and, when ``../shared`` is there, the microtexts) divided by
  the bare spaCy pipeline argmap needs (``nlp.pipe``, same model and
  components, NER excluded as argmap excludes it, and spaCy's own
  ``attribute_ruler`` and ``lemmatizer`` where argmap runs exact stand-ins)
  on the same texts. Target <= 0.95: argmap maps faster than spaCy parses.
- cold CLI: ``argmap render examples/kellogg-oped.txt -o x.svg`` in a fresh
  process divided by ``python -c "import spacy; spacy.load(MODEL)"``. Target <= 1.5.
- render: DOT -> SVG of a 60-unit map, ms per render.
- memory: peak RSS of a process mapping a 20,000-word document. Target <= 200 MB.
- --jobs: a batch of files mapped with ``--jobs 2`` and ``--jobs 0`` (auto),
  each divided by ``--jobs 1`` run in the same round (order rotated): 200
  files (below ``AUTO_MIN_BYTES``: auto must stay at 1) and 2,000 (above it:
  auto must start workers, and they must help).
- scaling (``bench/scaling.py``, also runnable alone): the per-word cost of
  mapping 1k, 5k, 20k and 80k words as a ratio to the 1k cost (target <= 1.15),
  a 100,000-unit saved map read and rendered, and input shapes that were once
  quadratic, each with its time.

Prints a table and writes ``bench/results.json``. Options: ``--quick`` (fewer
rounds, smaller corpus: a smoke run), ``--json PATH``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MICROTEXTS = ROOT.parent / "shared" / "data" / "microtexts-part1.jsonl"
COLD_EXAMPLE = EXAMPLES / "kellogg-oped.txt"
TARGETS = {"overhead": 0.95, "cold_cli": 1.5, "memory_mb": 200.0}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child would
# report its (big) parent's peak; VmHWM belongs to the new process image.
_MEMORY_PROBE = """
import re, resource, sys
def peak_mb():
    try:
        status = open("/proc/self/status").read()
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
from argmap.nlp import load_model
load_model()
loaded = peak_mb()
from argmap.pipeline import analyze
m = analyze(open(sys.argv[1], encoding="utf-8").read())
print(loaded, peak_mb(), len(m.units))
"""


@dataclass
class Corpus:
    """Texts with their Markdown flag, repeated to a word count; notes say what was left out."""

    texts: list[tuple[str, bool]]
    words: int
    notes: list[str] = field(default_factory=list)


def build_corpus(
    examples: Path = EXAMPLES, microtexts: Path = MICROTEXTS, target_words: int = 50_000
) -> Corpus:
    """The example op-eds and the microtexts' texts, repeated to about ``target_words``."""
    base = [(p.read_text(encoding="utf-8"), p.suffix == ".md") for p in sorted(examples.iterdir())]
    notes = []
    if microtexts.is_file():
        with microtexts.open(encoding="utf-8") as handle:
            base += [(json.loads(line)["text"], False) for line in handle if line.strip()]
    else:
        notes.append(f"{microtexts} not found: corpus is examples/ only (microtexts skipped)")
    once = sum(len(text.split()) for text, _ in base)
    texts = base * max(1, round(target_words / once))
    return Corpus(texts, sum(len(text.split()) for text, _ in texts), notes)


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call (CPU time is immune to other processes' load)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


def measure_overhead(corpus: Corpus, rounds: int = 3, slices: int = 10) -> dict[str, Any]:
    """argmap (``analyze_stream``, as the CLI batches) vs bare ``nlp.pipe`` on the same texts.

    The bare side is the pipeline exactly as spaCy loads it (``stock=True``:
    spaCy's own ``attribute_ruler`` and ``lemmatizer``), so the ratio shows
    what argmap's stand-ins save as well as what its own work costs. The corpus is cut into
    ``slices`` and the two alternate slice by slice (and in alternating
    order), so both see the same machine: on a shared machine
    the load drifts by 20% within a minute, which whole-corpus runs would
    charge to one side.
    """
    from argmap.lemmatizer import uses_cached
    from argmap.nlp import BATCH_SIZE, EXCLUDED_COMPONENTS, load_model
    from argmap.pipeline import analyze_stream, prepare_text
    from argmap.ruler import uses_stand_in

    nlp = load_model(stock=True)
    if uses_stand_in(nlp) or uses_cached(nlp):  # pragma: no cover - the ratio's meaning
        raise RuntimeError("the bare side must run spaCy's own attribute_ruler and lemmatizer")
    step = -(-len(corpus.texts) // slices)
    parts = [corpus.texts[i : i + step] for i in range(0, len(corpus.texts), step)]

    def bare(part: list[tuple[str, bool]]) -> None:
        for _ in nlp.pipe([text for text, _ in part], batch_size=BATCH_SIZE):
            pass

    def mapped(part: list[tuple[str, bool]]) -> None:
        for _ in analyze_stream(prepare_text(text, markdown=md) for text, md in part):
            pass

    bare(parts[0])  # warm caches and lexicons
    mapped(parts[0])
    totals = {"bare": [0.0, 0.0], "argmap": [0.0, 0.0]}
    per_round: dict[str, list[float]] = {"wall": [], "cpu": []}
    for r in range(rounds):
        this_round = {"bare": [0.0, 0.0], "argmap": [0.0, 0.0]}
        for i, part in enumerate(parts):
            order = [("bare", bare), ("argmap", mapped)]
            for name, run in order if (i + r) % 2 == 0 else order[::-1]:
                wall, cpu = _timed(lambda run=run, part=part: run(part))
                this_round[name][0] += wall
                this_round[name][1] += cpu
        for name in totals:
            totals[name][0] += this_round[name][0]
            totals[name][1] += this_round[name][1]
        per_round["wall"].append(this_round["argmap"][0] / this_round["bare"][0])
        per_round["cpu"].append(this_round["argmap"][1] / this_round["bare"][1])
    return {
        "words": corpus.words,
        "texts": len(corpus.texts),
        "rounds": rounds,
        "pipeline": list(nlp.pipe_names),
        "excluded": list(EXCLUDED_COMPONENTS),
        "stand_in": uses_stand_in(load_model()),
        "cached_lemmatizer": uses_cached(load_model()),
        "spacy_words_per_s": rounds * corpus.words / totals["bare"][0],
        "argmap_words_per_s": rounds * corpus.words / totals["argmap"][0],
        "ratio": totals["argmap"][0] / totals["bare"][0],
        "ratio_cpu": totals["argmap"][1] / totals["bare"][1],
        "ratio_per_round": per_round["wall"],
    }


def measure_one_call_each(corpus: Corpus) -> dict[str, Any]:
    """One ``analyze`` call per text: what a naive loop pays (reference, not a target)."""
    from argmap.pipeline import analyze

    wall, _ = _timed(lambda: [analyze(text, markdown=md) for text, md in corpus.texts])
    return {"words_per_s": corpus.words / wall}


def _child_run(command: Sequence[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_cold_cli(rounds: int = 7, example: Path = COLD_EXAMPLE) -> dict[str, Any]:
    """A fresh ``argmap render`` vs a fresh ``import spacy; spacy.load(MODEL)``."""
    from argmap.nlp import DEFAULT_MODEL, EXCLUDED_COMPONENTS

    argmap_bin = str(Path(sys.executable).with_name("argmap"))
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "argmap": [argmap_bin, "render", str(example), "-o", str(Path(tmp) / "x.svg")],
            "spacy": [sys.executable, "-c", f"import spacy; spacy.load({DEFAULT_MODEL!r})"],
            "spacy_no_ner": [
                sys.executable,
                "-c",
                f"import spacy; spacy.load({DEFAULT_MODEL!r}, exclude={list(EXCLUDED_COMPONENTS)})",
            ],
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for command in commands.values():
            _child_run(command)  # warm the file cache
        for _ in range(rounds):
            for name, command in commands.items():
                runs[name].append(_child_run(command))
    wall = {k: [w for w, _ in v] for k, v in runs.items()}
    cpu = {k: [c for _, c in v] for k, v in runs.items()}
    return {
        "rounds": rounds,
        "argmap_s": statistics.median(wall["argmap"]),
        "spacy_load_s": statistics.median(wall["spacy"]),
        "spacy_load_no_ner_s": statistics.median(wall["spacy_no_ner"]),
        "ratio": _ratio(wall["argmap"], wall["spacy"]),
        "ratio_cpu": _ratio(cpu["argmap"], cpu["spacy"]),
    }


def synthetic_map(units: int = 60) -> Any:
    """A deterministic map of ``units`` invented units: a thesis, six reasons, a tree below."""
    from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit

    roles = [Role.PREMISE, Role.EVIDENCE, Role.CLAIM, Role.EVIDENCE, Role.OBJECTION]
    made, relations, offset = [], [], 0
    for i in range(1, units + 1):
        role = Role.THESIS if i == 1 else roles[i % len(roles)]
        text = f"Point {i} says that the plan would change how street number {i} works for all."
        made.append(
            Unit(
                id=f"u{i}", role=role, text=text, start=offset, end=offset + len(text), line=i,
                evidence_type=EvidenceType.STATISTIC if role is Role.EVIDENCE else None,
                confidence=0.7, cues=[f"synthetic cue {i}"],
            )
        )  # fmt: skip
        offset += len(text) + 1
        if i > 1:
            target = 1 if i <= 7 else (i - 2) // 8 + 2
            kind = RelationKind.ATTACK if role is Role.OBJECTION else RelationKind.SUPPORT
            relations.append(
                Relation(source=f"u{i}", target=f"u{target}", kind=kind, confidence=0.6)
            )
    return ArgumentMap(thesis="u1", units=made, relations=relations)


def measure_render(units: int = 60, repeats: int = 20) -> dict[str, Any]:
    """DOT built with graphviz.Digraph, then ``dot -Tsvg``: ms per render."""
    from argmap import render

    m = synthetic_map(units)
    render.render_image(render.to_dot(m), "svg")  # warm up
    dot_ms, svg_ms = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        dot = render.to_dot(m)
        middle = time.perf_counter()
        render.render_image(dot, "svg")
        dot_ms.append((middle - start) * 1000)
        svg_ms.append((time.perf_counter() - middle) * 1000)
    return {
        "units": units,
        "dot_ms": statistics.median(dot_ms),
        "svg_ms": statistics.median(svg_ms),
    }


def long_document(corpus: Corpus, words: int) -> str:
    """Paragraphs of the corpus joined into one document of about ``words`` words."""
    paragraphs, count = [], 0
    while count < words:
        for text, _ in corpus.texts:
            for paragraph in text.split("\n\n"):
                if paragraph.strip() and count < words:
                    paragraphs.append(paragraph.strip())
                    count += len(paragraph.split())
    return "\n\n".join(paragraphs) + "\n"


def measure_memory(corpus: Corpus, words: int = 20_000) -> dict[str, Any]:
    """Peak RSS of a fresh process that maps one ``words``-word document."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(long_document(corpus, words), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, str(path)],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
    loaded, peak, units = (int(x) for x in out)
    return {"words": words, "model_loaded_mb": loaded, "peak_mb": peak, "units": units}


def measure_jobs(
    corpus: Corpus,
    sizes: Sequence[int] = (200, 2000),
    jobs: Sequence[int] = (2, 0),
    rounds: int = 3,
) -> dict[str, Any]:
    """``argmap analyze DIR --output-dir OUT`` with ``--jobs N`` over ``--jobs 1``, per batch size.

    Each round runs ``--jobs 1`` and every other value once, in an order
    rotated from round to round, and divides each by that round's
    ``--jobs 1``; the row is the median of those ratios (below 1: faster).
    """
    argmap_bin = str(Path(sys.executable).with_name("argmap"))
    runs: list[dict[str, Any]] = []
    values = [1, *(n for n in jobs if n != 1)]
    with tempfile.TemporaryDirectory() as tmp:
        for files in sizes:
            folder = Path(tmp) / f"in{files}"
            folder.mkdir()
            for i in range(files):
                text, md = corpus.texts[i % len(corpus.texts)]
                name = f"piece{i:04d}{'.md' if md else '.txt'}"
                (folder / name).write_text(text, encoding="utf-8")
            paths = list(folder.iterdir())
            words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
            size = sum(p.stat().st_size for p in paths)
            seconds: dict[int, list[float]] = {n: [] for n in values}
            for r in range(rounds):
                shift = r % len(values)
                for n in values[shift:] + values[:shift]:
                    out = Path(tmp) / f"out{files}-{n}-{r}"
                    out.mkdir()
                    command = [argmap_bin, "analyze", str(folder), "--output-dir", str(out), "-q"]
                    seconds[n].append(_child_run([*command, "--jobs", str(n)])[0])
            for n in values[1:]:
                runs.append(
                    {
                        "files": files, "words": words, "bytes": size, "jobs": n,
                        "ratio": _ratio(seconds[n], seconds[1]),
                        "s": statistics.median(seconds[n]),
                        "s_jobs1": statistics.median(seconds[1]),
                    }
                )  # fmt: skip
    return {"rounds": rounds, "runs": runs}


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import spacy

    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else cpu
    return {
        "date": dt.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }


def table(results: dict[str, Any]) -> str:
    """The results as a fixed-width text table, with each target and whether it is met."""
    o, c, r, m = (results[k] for k in ("overhead", "cold_cli", "render", "memory"))

    def verdict(value: float, target: str) -> str:
        return f"<= {TARGETS[target]:g}  {'ok' if value <= TARGETS[target] else 'MISSED'}"

    spacy_s = f"{c['spacy_load_s']:.2f} ({c['spacy_load_no_ner_s']:.2f})"
    rows = [
        ("argmap / spaCy (wall)", f"{o['ratio']:.2f}", verdict(o["ratio"], "overhead")),
        ("argmap / spaCy (CPU)", f"{o['ratio_cpu']:.2f}", ""),
        ("  spaCy nlp.pipe, words/s", f"{o['spacy_words_per_s']:,.0f}", ""),
        ("  argmap, words/s", f"{o['argmap_words_per_s']:,.0f}", ""),
        ("cold CLI / spacy.load (wall)", f"{c['ratio']:.2f}", verdict(c["ratio"], "cold_cli")),
        ("cold CLI / spacy.load (CPU)", f"{c['ratio_cpu']:.2f}", ""),
        ("  argmap render, s", f"{c['argmap_s']:.2f}", ""),
        ("  spacy.load, s (without NER)", spacy_s, ""),
        (f"render {r['units']} units: DOT, SVG ms", f"{r['dot_ms']:.0f}, {r['svg_ms']:.0f}", ""),
        (
            f"peak RSS, {m['words']:,} words, MB",
            f"{m['peak_mb']}",
            verdict(m["peak_mb"], "memory_mb"),
        ),
        ("  of which the loaded model, MB", f"{m['model_loaded_mb']}", ""),
    ]
    if "one_call_each" in results:
        per_text = f"{results['one_call_each']['words_per_s']:,.0f}"
        rows.insert(4, ("  argmap, one analyze() per text, words/s", per_text, ""))
    for run in results.get("jobs", {}).get("runs", []):
        jobs = "0 (auto)" if run["jobs"] == 0 else run["jobs"]
        name = f"batch {run['files']} files ({run['words']:,} words), --jobs {jobs} / 1"
        seconds = f"({run['s']:.1f} s / {run['s_jobs1']:.1f} s)"
        rows.append((name, f"{run['ratio']:.2f}", seconds))
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'measure':<{width}}  {'value':>14}  target", "-" * (width + 30)]
    lines += [f"{name:<{width}}  {value:>14}  {target}".rstrip() for name, value, target in rows]
    info = results["machine"]
    ruler = "exact stand-in" if o.get("stand_in") else "spaCy's"
    lemmas = "exact stand-in" if o.get("cached_lemmatizer") else "spaCy's"
    lines.append(
        f"measured {info['date']} on {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}, spaCy {info['spacy']}; model {results['model']} without "
        f"{', '.join(o['excluded'])} ({' '.join(o['pipeline'])}; argmap's attribute_ruler: "
        f"{ruler}, lemmatizer: {lemmas}); "
        f"corpus {o['words']:,} words in {o['texts']} texts"
    )
    return "\n".join(lines + results["notes"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small and fast")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    from argmap.nlp import model_name

    quick = args.quick
    corpus = build_corpus(target_words=5_000 if quick else 50_000)
    results: dict[str, Any] = {"machine": machine(), "model": model_name(), "notes": corpus.notes}
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("overhead", lambda: measure_overhead(corpus, rounds=1 if quick else 3)),
        ("one_call_each", lambda: measure_one_call_each(corpus)),
        ("cold_cli", lambda: measure_cold_cli(rounds=2 if quick else 7)),
        ("render", lambda: measure_render(repeats=3 if quick else 20)),
        ("memory", lambda: measure_memory(corpus, words=2_000 if quick else 20_000)),
        (
            "jobs",
            lambda: measure_jobs(
                corpus, sizes=(10, 40) if quick else (200, 2000), rounds=1 if quick else 3
            ),
        ),
    ]
    from scaling import scaling_steps, scaling_table  # bench/scaling.py: the scaling section

    steps += scaling_steps(quick)
    for name, step in steps:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        results[name] = step()
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\n{scaling_table(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
