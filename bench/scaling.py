"""``make bench`` scaling section: per-word cost as texts grow, and pathological shapes.

Every stage should be linear (or n log n) in units, characters and lines, so
the seconds per word of mapping 80,000 words should be those of 1,000 words.
The texts are general English filler generated here from a fixed seed (no
corpus text): paragraphs of claims, reasons, objections, figures and examples
joined by ordinary connectives, so every link rule has work to do.

Besides the mapping sizes, the table times a 100,000-node saved map (argmap
JSON and AIF) rendered to DOT and outline, and each input shape that used to
be quadratic or worse (see ``PATHOLOGICAL``); each of those must finish, map
or be refused with an ``InputError`` in seconds.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = [
    "PATHOLOGICAL",
    "SIZES",
    "filler_text",
    "measure_big_map",
    "measure_pathological",
    "measure_scaling",
    "scaling_steps",
    "scaling_table",
]

T = TypeVar("T")
SIZES = (1_000, 5_000, 20_000, 80_000)
TARGET_RATIO = 1.15
"""Per-word cost at the largest size over the 1k cost."""

_SUBJECTS = [
    "the council", "our school", "the new plan", "this rule", "the town", "local shops",
    "most parents", "the library", "every driver", "the old bridge", "young workers",
    "the market", "our neighbours", "the bus service", "small farms", "the committee",
]  # fmt: skip
_VERBS = [
    "should support", "must improve", "will change", "could replace", "needs", "helps",
    "protects", "costs", "depends on", "ought to fund", "has ignored", "would welcome",
]  # fmt: skip
_OBJECTS = [
    "the weekend market", "safer streets", "cheaper lunches", "longer opening hours",
    "a quiet park", "the evening classes", "clean water", "better roads", "fair prices",
    "the summer festival", "more trees", "a bigger hall", "the cycle lanes", "new benches",
]  # fmt: skip
_REASONS = [
    "people wait too long", "the costs keep rising", "children need space to play",
    "the roads are crowded", "families have less money", "the buildings are old",
    "visitors bring trade", "the winters are hard", "many homes are far away",
]  # fmt: skip
_OPENERS = [
    "", "", "", "However, ", "Therefore, ", "Moreover, ", "In addition, ", "For example, ",
    "First, ", "Second, ", "Finally, ", "In my view, ", "Of course, ", "This means that ",
]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    subject, verb, obj = rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)
    shape = rng.randrange(7)
    if shape == 0:
        text = f"{subject} {verb} {obj} because {rng.choice(_REASONS)}"
    elif shape == 1:
        text = f"although {rng.choice(_REASONS)}, {subject} {verb} {obj}"
    elif shape == 2:
        text = f"{subject} {verb} {obj}, but {rng.choice(_REASONS)}"
    elif shape == 3:
        share = rng.randrange(5, 95)
        text = f"a survey found that {share} percent of residents say {subject} {verb} {obj}"
    elif shape == 4:
        text = f"some argue that {subject} {verb} {obj}, and {rng.choice(_REASONS)}"
    else:
        text = f"{subject} {verb} {obj}"
    opener = rng.choice(_OPENERS)
    body = text if opener else text[0].upper() + text[1:]
    return f"{opener}{body}."


def filler_text(words: int, *, seed: int = 7) -> str:
    """About ``words`` words of invented opinion prose in paragraphs of 3 to 8 sentences."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [_sentence(rng) for _ in range(rng.randrange(3, 9))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs) + "\n"


def _timed(run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def measure_scaling(
    sizes: Sequence[int] = SIZES, rounds: int = 3, per_round: int | None = None
) -> dict[str, Any]:
    """Seconds per word of ``analyze`` on filler texts of each size, as ratios to the smallest.

    In every round each size maps ``per_round`` words (default: the largest
    size), as that many texts of its size (distinct seeds), the sizes in a
    rotating order; a round's ratio compares sizes run side by side, and the
    median over rounds is reported, as the other bench ratios are.
    """
    from argmap.pipeline import analyze

    budget = per_round or max(sizes)
    texts = {
        size: [filler_text(size, seed=size + k) for k in range(max(1, budget // size))]
        for size in sizes
    }
    analyze(texts[sizes[0]][0])  # load the model and the lexicons
    per_word: dict[int, list[float]] = {size: [] for size in sizes}
    per_text: dict[int, list[float]] = {size: [] for size in sizes}
    cpu_per_word: dict[int, list[float]] = {size: [] for size in sizes}
    for r in range(rounds):
        order = list(sizes[r % len(sizes) :]) + list(sizes[: r % len(sizes)])
        for size in order:
            words = sum(len(text.split()) for text in texts[size])
            wall, cpu = time.perf_counter(), time.process_time()
            for text in texts[size]:
                analyze(text)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            per_word[size].append(wall / words)
            cpu_per_word[size].append(cpu / words)
            per_text[size].append(wall / len(texts[size]))
    base = sizes[0]
    rows = []
    for size in sizes:
        ratios = [a / b for a, b in zip(per_word[size], per_word[base], strict=True)]
        cpu = [a / b for a, b in zip(cpu_per_word[size], cpu_per_word[base], strict=True)]
        rows.append(
            {
                "words": size,
                "texts_per_round": len(texts[size]),
                "s_per_text": statistics.median(per_text[size]),
                "us_per_word": statistics.median(per_word[size]) * 1e6,
                "cpu_us_per_word": statistics.median(cpu_per_word[size]) * 1e6,
                "ratio": statistics.median(ratios),
                "ratio_cpu": statistics.median(cpu),
            }
        )
    return {"rounds": rounds, "words_per_round": budget, "sizes": rows}


def _big_map(nodes: int) -> Any:
    """A deterministic ``nodes``-unit map: a bushy half, then a chain as deep as the other half.

    Every 50th unit of the bushy half also supports unit 2, so the map is not
    a plain tree (imports must count shared units once per root).
    """
    from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit

    bushy = nodes // 2
    units, relations, offset = [], [], 0
    for i in range(1, nodes + 1):
        role = Role.THESIS if i == 1 else (Role.OBJECTION if i % 7 == 0 else Role.PREMISE)
        text = f"Point {i} says the plan changes how street {i} works for everyone."
        units.append(
            Unit(id=f"u{i}", role=role, text=text, start=offset, end=offset + len(text),
                 line=i, confidence=0.7)
        )  # fmt: skip
        offset += len(text) + 1
        if i == 1:
            continue
        target = (i - 2) // 4 + 1 if i <= bushy else (1 if i == bushy + 1 else i - 1)
        kind = RelationKind.ATTACK if role is Role.OBJECTION else RelationKind.SUPPORT
        relations.append(Relation(source=f"u{i}", target=f"u{target}", kind=kind, confidence=0.6))
        if i <= bushy and i % 50 == 0 and target != 2:
            relations.append(Relation(source=f"u{i}", target="u2", kind=kind, confidence=0.5))
    return ArgumentMap(thesis="u1", units=units, relations=relations)


def measure_big_map(nodes: int = 100_000) -> dict[str, Any]:
    """A saved ``nodes``-unit map (argmap JSON and AIF) read and rendered to DOT and outline."""
    from argmap.interchange import import_map
    from argmap.interchange.aif import to_aif
    from argmap.render import to_dot, to_outline

    m = _big_map(nodes)
    saved = {"argmap JSON": ("map.json", m.model_dump_json()), "AIF": ("map.aif.json", to_aif(m))}
    rows = []
    for label, (name, text) in saved.items():
        read, loaded = _timed(lambda name=name, text=text: import_map(name, text))
        dot, _ = _timed(lambda loaded=loaded: to_dot(loaded))
        outline_s, outline = _timed(lambda loaded=loaded: to_outline(loaded))
        rows.append(
            {"format": label, "read_s": read, "dot_s": dot, "outline_s": outline_s,
             "relations": len(loaded.relations),
             "outline_longest_line": max(len(line) for line in outline.splitlines())}
        )  # fmt: skip
    return {"nodes": nodes, "formats": rows}


def _unpunctuated(words: int) -> str:
    """One sentence of ``words`` words with no punctuation and no connective."""
    rng = random.Random(3)
    vocab = [w for phrase in _OBJECTS + _SUBJECTS for w in phrase.split() if w not in {"the", "a"}]
    return " ".join(rng.choice(vocab) for _ in range(words)) + "\n"


def _chain_map(units: int) -> Any:
    """A map that is one chain: each unit develops the one before."""
    from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit

    made, offset = [], 0
    for i in range(1, units + 1):
        text = f"Step {i} follows from step {i + 1}."
        role = Role.THESIS if i == 1 else Role.CLAIM
        made.append(Unit(id=f"u{i}", role=role, text=text, start=offset, end=offset + len(text),
                         line=i, confidence=0.5))  # fmt: skip
        offset += len(text) + 1
    relations = [
        Relation(source=f"u{i}", target=f"u{i - 1}", kind=RelationKind.SUPPORT, confidence=0.6)
        for i in range(2, units + 1)
    ]
    return ArgumentMap(thesis="u1", units=made, relations=relations)


def _shared_roots_aif(nodes: int) -> str:
    """AIF: half the I-nodes are roots, all supported by one premise that heads a long chain."""
    half = nodes // 2
    out: list[dict[str, Any]] = [{"nodeID": str(i), "text": f"Point {i}.", "type": "I"}
                                 for i in range(1, nodes + 1)]  # fmt: skip
    edges: list[tuple[int, int]] = [(half + 1, k) for k in range(1, half + 1)]
    edges += [(i + 1, i) for i in range(half + 1, nodes)]
    links = []
    for n, (src, dst) in enumerate(edges, start=nodes + 1):
        out.append({"nodeID": str(n), "text": "Default Inference", "type": "RA"})
        links += [{"fromID": str(src), "toID": str(n)}, {"fromID": str(n), "toID": str(dst)}]
    import json

    return json.dumps({"nodes": out, "edges": links, "locutions": []})


def _units(count: int) -> str:
    return f"{count:,} unit{'' if count == 1 else 's'}"


def _map_text(text: str, *, markdown: bool = False) -> str:
    from argmap.errors import InputError
    from argmap.pipeline import analyze

    try:
        return _units(len(analyze(text, markdown=markdown).units))
    except InputError as exc:
        return f"refused: {exc}"


def _png_of(text: str) -> str:
    from argmap.pipeline import analyze
    from argmap.render import render_image, to_dot

    m = analyze(text)
    return f"{_units(len(m.units))}, {len(render_image(to_dot(m), 'png')) // 1024:,} KB PNG"


def _starter_of(text: str) -> str:
    from argmap.corrections import starter_file
    from argmap.pipeline import analyze

    return f"{len(starter_file(analyze(text)).splitlines()):,} lines"


def _outline_of_chain(units: int) -> str:
    from argmap.render import to_outline

    outline = to_outline(_chain_map(units))
    return f"longest line {max(len(line) for line in outline.splitlines())} chars"


def _argdown_of_chain(units: int) -> str:
    from argmap.interchange.argdown import from_argdown, to_argdown

    back = from_argdown(to_argdown(_chain_map(units)))
    return f"{len(back.relations):,} relations back"


def _argdown_line(chars: int) -> str:
    from argmap.interchange.argdown import from_argdown

    return _units(len(from_argdown("[T]: We act " + "**so " * (chars // 5)).units))


def _aif_roots(nodes: int) -> str:
    from argmap.interchange.aif import from_aif

    return f"thesis {from_aif(_shared_roots_aif(nodes)).thesis}"


def _wildcard_quote(words: int) -> str:
    from argmap.corrections import find_unit
    from argmap.model import ArgumentMap, Role, Unit

    text = " ".join(["a"] * words)
    m = ArgumentMap(units=[Unit(id="u1", role=Role.CLAIM, text=text, start=0, end=len(text),
                                line=1, confidence=0.5)])  # fmt: skip
    return f"found {find_unit(m, 'a ... a ... a ... a ... z')[0]}"


# name -> (the shape, at full size; the run, given a scale: 1.0 full, smaller for --quick)
PATHOLOGICAL: dict[str, Callable[[float], str]] = {
    "12,000 one-sentence paragraphs (thesis rivals)": lambda k: _map_text(
        "\n\n".join(f"Point {i} matters to us." for i in range(int(12_000 * k)))
    ),
    "one 20,000-word paragraph": lambda k: _map_text(
        filler_text(int(20_000 * k)).replace("\n\n", " ")
    ),
    "Markdown: 10 KB of [[[...]]]": lambda k: _map_text(
        "[" * int(5_000 * k) + "]" * int(5_000 * k), markdown=True
    ),
    "Markdown: 80 KB of nested emphasis": lambda k: _map_text(
        "*a " * int(13_300 * k) + "a* " * int(13_300 * k), markdown=True
    ),
    "200,000 one-word lines": lambda k: _map_text("word\n" * int(200_000 * k)),
    "50,000-word unpunctuated sentence to PNG": lambda k: _png_of(_unpunctuated(int(50_000 * k))),
    "corrections init on that sentence": lambda k: _starter_of(_unpunctuated(int(50_000 * k))),
    "outline of a 5,000-unit chain": lambda k: _outline_of_chain(int(5_000 * k)),
    "Argdown round trip of a 5,000-unit chain": lambda k: _argdown_of_chain(int(5_000 * k)),
    "Argdown: a 200 KB line of unclosed '**'": lambda k: _argdown_line(int(200_000 * k)),
    "AIF: 100,000 I-nodes, 50,000 roots sharing one premise": lambda k: _aif_roots(
        int(100_000 * k)
    ),
    "quote 'a ... a ... a ... a ... z' in a 50,000-word unit": lambda k: _wildcard_quote(
        int(50_000 * k)
    ),
}


def measure_pathological(scale: float = 1.0) -> dict[str, Any]:
    """Each shape in ``PATHOLOGICAL``: its seconds and what came out."""
    rows = []
    for name, run in PATHOLOGICAL.items():
        seconds, result = _timed(lambda run=run: run(scale))
        rows.append({"shape": name, "s": seconds, "result": result})
    return {"scale": scale, "shapes": rows}


def scaling_table(results: dict[str, Any]) -> str:
    """The scaling section as a fixed-width table, the per-word target checked at the end."""
    lines: list[str] = []
    width = 58
    if "scaling" in results:
        s = results["scaling"]
        head = f"{'mapping filler text':<{width}}  {'s/text':>8}  {'CPU us/word':>11}  ratio (CPU)"
        lines += [head, "-" * (width + 37)]
        for row in s["sizes"]:
            texts = row["texts_per_round"]
            name = f"  {row['words']:,} words ({texts} text{'' if texts == 1 else 's'} a round)"
            lines.append(
                f"{name:<{width}}  {row['s_per_text']:>8.2f}  {row['cpu_us_per_word']:>11.0f}  "
                f"{row['ratio']:.2f} ({row['ratio_cpu']:.2f})"
            )
        last, first = s["sizes"][-1], s["sizes"][0]
        verdict = "ok" if last["ratio"] <= TARGET_RATIO else "MISSED"
        lines.append(
            f"  per-word cost at {last['words']:,} / at {first['words']:,} words: "
            f"{last['ratio']:.2f} (CPU {last['ratio_cpu']:.2f})  <= {TARGET_RATIO}  {verdict}"
        )
    if "big_map" in results:
        b = results["big_map"]
        title = f"a saved {b['nodes']:,}-unit map"
        lines += ["", f"{title:<{width}}  {'read s':>8}  {'DOT s':>8}  outline s"]
        lines.append("-" * (width + 37))
        for row in b["formats"]:
            lines.append(
                f"{'  ' + row['format']:<{width}}  {row['read_s']:>8.1f}  {row['dot_s']:>8.1f}  "
                f"{row['outline_s']:.1f}"
            )
    if "pathological" in results:
        p = results["pathological"]
        shape = "shape" if p["scale"] == 1 else f"shape (at {p['scale']:g} of the size named)"
        lines += ["", f"{shape:<{width}}  {'s':>8}  result", "-" * (width + 37)]
        for row in p["shapes"]:
            lines.append(f"{row['shape']:<{width}}  {row['s']:>8.1f}  {row['result']}")
    return "\n".join(lines)


def scaling_steps(quick: bool) -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    """The section's steps for ``bench/run.py`` (``--quick``: small sizes, one round)."""
    if quick:
        return [
            ("scaling", lambda: measure_scaling((250, 500, 1_000, 2_000), rounds=1)),
            ("big_map", lambda: measure_big_map(5_000)),
            ("pathological", lambda: measure_pathological(0.05)),
        ]
    return [
        ("scaling", measure_scaling),
        ("big_map", measure_big_map),
        ("pathological", measure_pathological),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run this section alone: ``python bench/scaling.py [--quick] [--json PATH]``."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small and fast")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for name, step in scaling_steps(args.quick):
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        results[name] = step()
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(scaling_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
