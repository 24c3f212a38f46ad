"""Every stage is linear in its input: counted steps, bounded outputs, and no backtracking.

No test here reads a clock. Each shape that used to be quadratic or worse is
checked by what the fix guarantees: a counted number of reads or calls that
grows like the input (4x input, at most ~4x the count), an output whose size
is bounded (outline numbers, labels, indentation), or a result equal to the
slow reference on small inputs. Where only a hang would show the old bug, a
generous ``signal.alarm`` stops the test instead of the suite. All texts are
short invented sentences or generated filler.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType, ModuleType
from typing import TYPE_CHECKING, Any, overload

import pytest

from argmap.classify import Classified, classify_units
from argmap.cues import extract_features
from argmap.link import link_units
from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit
from argmap.nlp import load_model
from argmap.reader import parse_markdown, parse_text
from argmap.segment import Segment, segment_units

if TYPE_CHECKING:
    from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


class _Hang(Exception):
    pass


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail (rather than hang the suite) after 60 s: a guard, not a timing assertion."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Hang("still running after 60 s: quadratic or worse")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _unit(i: int, text: str, role: Role = Role.CLAIM) -> Unit:
    return Unit(id=f"u{i}", role=role, text=text, start=0, end=len(text), line=i, confidence=0.5)


def chain_map(units: int) -> ArgumentMap:
    """One chain: each unit supports the one before it."""
    made = [_unit(i, f"Step {i} leads to step {i - 1}.") for i in range(1, units + 1)]
    made[0] = made[0].model_copy(update={"role": Role.THESIS})
    relations = [
        Relation(source=f"u{i}", target=f"u{i - 1}", kind=RelationKind.SUPPORT, confidence=0.6)
        for i in range(2, units + 1)
    ]
    return ArgumentMap(thesis="u1", units=made, relations=relations)


# --- linking: reads of the units grow like the units -------------------------------------------


class Counted(Sequence[Classified]):
    """The units, counting every read a link rule makes."""

    def __init__(self, items: list[Classified]) -> None:
        self.items = items
        self.reads = 0

    @overload
    def __getitem__(self, index: int) -> Classified: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Classified]: ...
    def __getitem__(self, index: int | slice) -> Classified | Sequence[Classified]:
        self.reads += 1
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)


@pytest.fixture(scope="module")
def template(nlp: Language) -> Classified:
    """One classified unit with no opening connective, to be copied into long layouts."""
    source = parse_text("The town should fund more buses for the night.\n")
    segments = segment_units(source, [nlp(source.clean[b.start : b.end]) for b in source.blocks])
    units = classify_units(segments, [extract_features(s.tokens) for s in segments])
    assert len(units) == 1 and units[0].features.opener is None
    return units[0]


def layout(template: Classified, blocks: list[int], roles: list[Role]) -> list[Classified]:
    return [
        replace(
            template,
            segment=replace(template.segment, block=block, sentence=i),
            decision=replace(template.decision, role=role),
        )
        for i, (block, role) in enumerate(zip(blocks, roles, strict=True))
    ]


SHAPES = {
    # 3-unit paragraphs: the paragraph's head was searched for from unit 0.
    "paragraphs": lambda n: ([i // 3 for i in range(n)], [Role.PREMISE] * n),
    # one paragraph of evidence under one claim: the claim was searched for backwards.
    "evidence": lambda n: ([0] * n, [Role.CLAIM] + [Role.EVIDENCE] * (n - 1)),
    # one paragraph of objections: no claim at all, every search ran to the start.
    "objections": lambda n: ([0] * n, [Role.CLAIM] + [Role.OBJECTION] * (n - 1)),
    # one paragraph of evidence and no claim: each unit scanned the paragraph both ways.
    "evidence_only": lambda n: ([0] * n, [Role.EVIDENCE] * n),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_linking_reads_grow_linearly(template: Classified, shape: str) -> None:
    def reads(n: int) -> int:
        units = Counted(layout(template, *SHAPES[shape](n)))
        links = link_units(units, 0)
        assert len(links) == n - 1
        return units.reads

    small, large = reads(300), reads(1_200)
    assert large <= 4.5 * small, f"{shape}: {small} reads at 300 units, {large} at 1,200"


def naive_layout(blocks: list[int], claims: list[bool], enum: list[bool], thesis: int) -> Any:
    """The scans the link rules used to make, one unit at a time (the reference)."""
    n = len(blocks)
    heads = {b: next(j for j in range(n) if blocks[j] == b) for b in set(blocks)}
    before, after, near, enumeration = [], [], [], []
    for i in range(n):
        found = None
        for j in range(i - 1, -1, -1):
            if blocks[j] != blocks[i]:
                break
            if claims[j]:
                found = j
                break
        before.append(found)
        found = None
        for j in range(i + 1, n):
            if blocks[j] != blocks[i]:
                break
            if claims[j]:
                found = j
                break
        after.append(found)
        found = None
        for j in range(i - 1, -1, -1):
            if blocks[j] < blocks[i] - 1:
                break
            if claims[j]:
                found = j
                break
        near.append(found)
        enumeration.append(next((j for j in range(i - 1, -1, -1) if enum[j] and j != thesis), None))
    return heads, before, after, near, enumeration


def test_layout_answers_what_the_scans_answered(template: Classified) -> None:
    from argmap.link_layout import layout as fast_layout

    rng = random.Random(5)
    enumeration = replace(template.features, opener=("enumeration", "first"))
    for _ in range(200):
        n = rng.randrange(1, 30)
        # Blocks mostly rise, but fixed segments outside any block fall back to block 0.
        blocks = sorted(rng.randrange(6) for _ in range(n))
        blocks = [0 if rng.random() < 0.1 else b for b in blocks]
        roles = [rng.choice([Role.CLAIM, Role.EVIDENCE, Role.OBJECTION]) for _ in range(n)]
        enum = [rng.random() < 0.2 for _ in range(n)]
        units = [
            replace(u, features=enumeration) if e else u
            for u, e in zip(layout(template, blocks, roles), enum, strict=True)
        ]
        thesis = rng.randrange(n)
        fast = fast_layout(units, thesis)
        claims = [r is Role.CLAIM for r in roles]
        expected = naive_layout(blocks, claims, enum, thesis)
        got = (fast.heads, fast.claim_before, fast.claim_after, fast.claim_near_before)
        assert (*got, fast.enumeration_before) == expected


def test_cycle_check_by_roots_matches_walking_the_chain() -> None:
    from argmap.link_layout import Roots

    rng = random.Random(9)
    for _ in range(100):
        n = rng.randrange(2, 40)
        roots, targets = Roots(), {}
        for source in rng.sample(range(n), n):
            target = rng.randrange(n)
            node, walked = target, {source}
            cycle = False
            while node is not None:
                if node in walked:
                    cycle = True
                    break
                walked.add(node)
                node = targets.get(node)
            assert (roots.root(target) == source) == cycle
            if not cycle and target != source:
                roots.join(source, target)
                targets[source] = target


# --- segmenting: one bisection per fixed segment, fragments glued once ------------------------


class CountingBlocks(tuple):  # type: ignore[type-arg]
    iterations = 0

    def __iter__(self) -> Iterator[Any]:
        type(self).iterations += 1
        return super().__iter__()


def test_fixed_segments_find_their_block_without_a_scan(nlp: Language) -> None:
    from argmap.segment import segments_from_offsets

    text = "\n\n".join(f"Point {i} is here." for i in range(200)) + "\n"
    source = parse_text(text)
    blocks = CountingBlocks(source.blocks)
    source = replace(source, blocks=blocks)
    offsets = [(b.start, b.end) for b in source.blocks]
    docs = [nlp.make_doc(text[a:b]) for a, b in offsets]
    CountingBlocks.iterations = 0
    segments = segments_from_offsets(source, offsets, docs)
    assert [s.block for s in segments] == list(range(200))
    assert CountingBlocks.iterations <= 2  # was one scan of the blocks per segment


def test_a_run_of_fragments_is_glued_once(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    import argmap.segment as segment

    built: list[int] = []

    class Recorded(Segment):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            built.append(len(self.tokens))

    doc = nlp.make_doc(" ".join(["word"] * 2_000))
    fragments = [Segment(t.idx, t.idx + 4, (t,), 0, i) for i, t in enumerate(doc)]
    monkeypatch.setattr(segment, "Segment", Recorded)
    merged = segment._merge_fragments(fragments)
    assert len(merged) == 1 and len(merged[0].tokens) == 2_000
    assert sum(built) <= 2 * 2_000  # re-joining per fragment copied ~2,000,000 tokens


# --- reading: what the parser is handed is bounded ---------------------------------------------


@pytest.mark.parametrize("markdown", [False, True])
def test_no_whitespace_free_run_reaches_the_parser_longer_than_max_run(markdown: bool) -> None:
    from argmap.readlimits import MAX_RUN

    text = "We should act now. " + "]" * 10_000 + " It helps. " + "https://x.org/" + "a" * 300
    source = parse_text(text, markdown=markdown)
    assert len(source.clean) == len(text)
    assert max(len(run) for run in source.clean.split()) <= MAX_RUN
    assert source.clean.startswith("We should act now.")  # ordinary prose is untouched


def test_markdown_masks_are_bounded_and_an_unclosed_opener_costs_nothing(
    hang_guard: None,
) -> None:
    long_target = "See [the plan](https://example.org/" + "a" * 600 + ") today."
    assert "example.org" in parse_markdown(long_target).clean  # too long to be a link target
    assert "example.org" not in parse_markdown("See [the plan](https://example.org/x).").clean
    for shape in ("a <b ", "text ](", "![a "):
        parse_markdown(shape * 60_000)  # each unclosed opener re-read its line: minutes


# --- numbering: bounded numbers, indentation and folding ---------------------------------------


def test_numbers_of_a_deep_chain_are_bounded_and_keep_their_depth() -> None:
    from argmap.render.numbering import MAX_PARTS, collapse, depth, number_units

    numbers = number_units(chain_map(5_000))
    assert max(len(n) for n in numbers.values()) <= 40  # in full, the last was 10 KB
    assert numbers["u12"] == ".".join(["1"] * MAX_PARTS)
    assert numbers["u5000"] == "1.1.1.1.(4992 levels).1.1.1.1"
    assert [depth(n) for n in numbers.values()] == list(range(5_000))
    shown, hidden = collapse(numbers, 20)
    assert len(shown) == 21 and hidden == {"u21": 4_979}


def test_folding_counts_hidden_units_under_their_ancestor() -> None:
    from argmap.render.numbering import collapse

    numbers = {"u1": "1", "u2": "1.1", "u3": "1.1.1", "u4": "1.2", "u5": "1.2.1", "u6": "2"}
    assert collapse(numbers, 1) == (["u1", "u2", "u4", "u6"], {"u2": 1, "u4": 1})
    assert collapse(numbers, 0) == (["u1", "u6"], {"u1": 4})


def test_outline_of_a_deep_chain_has_bounded_lines() -> None:
    from argmap.render import to_outline
    from argmap.render.outline import MAX_INDENT

    lines = to_outline(chain_map(3_000), reasons=True).splitlines()
    assert len([ln for ln in lines if ln.lstrip().startswith("- ")]) == 3_000
    assert max(len(ln) for ln in lines) <= 2 * (MAX_INDENT + 1) + 120
    assert lines[-1].startswith("  " * MAX_INDENT + "- 1.1.1.1.(2992 levels)")


def test_diagram_boxes_show_a_bounded_part_of_a_long_unit() -> None:
    from argmap.render import to_dot
    from argmap.render.dot import MAX_LABEL_LINES

    words = " ".join(f"word{i}" for i in range(5_000))
    m = ArgumentMap(thesis="u1", units=[_unit(1, words, Role.THESIS)])
    label = re.search(r'label="([^"]*)"', to_dot(m).split("\tu1 ", 1)[1])
    assert label is not None
    lines = label.group(1).split("\\l")
    assert len(lines) <= MAX_LABEL_LINES + 2  # heading, text lines, the trailing ""
    assert re.fullmatch(r"\u2026 \(\+[\d,]+ words\)", lines[-2])


# --- corrections: quotes without backtracking, a starter file in linear time -------------------


def test_wildcard_quotes_find_what_the_regex_found() -> None:
    from argmap.corrections.quotes import _pieces, _search

    rng = random.Random(2)
    for _ in range(2_000):
        text = "".join(rng.choice("ab ") for _ in range(rng.randrange(0, 30)))
        quote = " ... ".join("".join(rng.choice("ab") for _ in range(rng.randrange(1, 3)))
                             for _ in range(rng.randrange(1, 4)))  # fmt: skip
        parts = [re.escape(p) for p in _pieces(quote)]
        found = re.search(".*?".join(parts), text)
        assert _search(_pieces(quote), text) == (found.span() if found else None)


def test_a_wildcard_quote_cannot_backtrack(hang_guard: None) -> None:
    from argmap.corrections import find_unit

    text = " ".join(["a"] * 50_000)
    m = ArgumentMap(units=[_unit(1, text)])
    assert find_unit(m, "a ... a ... a ... a ... a ... z")[0] is None  # was years, not seconds
    assert find_unit(m, "a ... a ... a")[0] == "u1"


def test_starter_file_numbers_once_and_bounds_its_look_ups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import argmap.corrections.quotes as quotes
    import argmap.corrections.starter as starter
    import argmap.render.numbering as numbering

    calls = {"numbers": 0, "hits": 0}
    real_numbers, real_hits = numbering.number_units, quotes.QuoteIndex.hits

    def numbers(m: ArgumentMap) -> dict[str, str]:
        calls["numbers"] += 1
        return real_numbers(m)

    def hits(self: Any, quote: str) -> list[int]:
        calls["hits"] += 1
        return real_hits(self, quote)

    monkeypatch.setattr(numbering, "number_units", numbers)
    monkeypatch.setattr(starter, "number_units", numbers)
    monkeypatch.setattr(quotes.QuoteIndex, "hits", hits)
    # 300 units, each said twice: no window of a unit is its own, the worst case.
    said = [f"Plan {i // 2} keeps the late bus on the river road every night." for i in range(300)]
    units = [_unit(i + 1, text) for i, text in enumerate(said)]
    m = ArgumentMap(thesis="u1", units=units, relations=[
        Relation(source=f"u{i}", target="u1", kind=RelationKind.SUPPORT, confidence=0.5)
        for i in range(2, 301)
    ])  # fmt: skip
    text = starter.starter_file(m)
    assert text.count("#  - unit: ") == 300
    assert calls["numbers"] <= 2  # was once per ambiguous look-up: ~100,000 times
    assert calls["hits"] <= 5 * 300


def test_starter_quotes_of_a_long_unit_are_bounded() -> None:
    from argmap.corrections import find_unit
    from argmap.corrections.quotes import MAX_QUOTE_WORDS, choose_quote

    long_text = " ".join(["the", "bus", "runs", "late"] * 2_000)
    m = ArgumentMap(units=[_unit(1, long_text), _unit(2, long_text)])
    quote = choose_quote(m, "u1")
    assert quote == "the bus runs late the bus ... runs late the bus runs late"
    assert len(quote.split()) <= 2 * MAX_QUOTE_WORDS
    other = ArgumentMap(units=[_unit(1, "We should act now. " * 50), _unit(2, "Buses help.")])
    assert find_unit(other, choose_quote(other, "u1"))[0] == "u1"


# --- interchange: Argdown and AIF --------------------------------------------------------------


_OLD_COMMENT = re.compile(r"\\.|<!--.*?-->|/\*.*?\*/|//[^\n]*", re.DOTALL)


def _old_strip(text: str) -> str:
    def blank(mt: re.Match[str]) -> str:
        found = mt.group(0)
        return found if found.startswith("\\") else "\n" * found.count("\n")

    return _OLD_COMMENT.sub(blank, text)


def test_comment_scan_removes_what_the_regex_removed() -> None:
    from argmap.interchange.argdown import _strip_comments

    rng = random.Random(4)
    pieces = ["<!--", "-->", "/*", "*/", "//", "\\", "\n", "a", " ", "-", "*", "/", "<"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 25)))
        assert _strip_comments(text) == _old_strip(text), repr(text)


def test_argdown_reading_is_linear_in_line_length(hang_guard: None) -> None:
    from argmap.interchange.argdown import from_argdown

    for opener in ("<!-- ", "/* ", "**", "*", " _", "#(", "@[", "[", "@<"):
        m = from_argdown("[T]: We act " + (opener + "so ") * 40_000)
        assert len(m.units) == 1
    m = from_argdown("[T]: We act\n" + "now\n" * 300_000)  # continuation lines
    assert len(m.units[0].text) == len("We act") + 4 * 300_000


def test_argdown_keeps_an_over_long_emphasis_as_written() -> None:
    from argmap.interchange.argdown import _MAX_SPAN, from_argdown

    short, long = "**" + "x" * 10 + "**", "**" + "x" * (_MAX_SPAN + 10) + "**"
    assert from_argdown(f"[T]: a {short} b").units[0].text == "a " + "x" * 10 + " b"
    assert from_argdown(f"[T]: a {long} b").units[0].text == f"a {long} b"


def test_argdown_escaping_matches_the_per_character_rule() -> None:
    from argmap.interchange.argdown import _escape

    def old(text: str) -> str:
        flat = " ".join(text.split())
        out = []
        for i, ch in enumerate(flat):
            rest = flat[i + 1 :]
            if ch in "\\@#*_[]{}<>":
                out.append("\\" + ch)
            elif ch == "/" and rest[:1] in ("/", "*"):
                out.append("\\/")
            elif ch in ".:" and re.match(r"\S+?[.:]", rest):
                out.append("\\" + ch)
            elif ch == "=" and re.compile("===").search(flat, max(0, i - 2), i + 3):
                out.append("\\=")
            else:
                out.append(ch)
        return "".join(out)

    rng = random.Random(6)
    for _ in range(2_000):
        text = "".join(rng.choice("a.:/*= \\#") for _ in range(rng.randrange(0, 20)))
        assert _escape(text) == old(text)


def test_argdown_export_of_a_deep_chain_has_bounded_indentation() -> None:
    from argmap.interchange.argdown import from_argdown, to_argdown
    from argmap.render.numbering import MAX_PARTS

    m = chain_map(2_000)
    doc = to_argdown(m)
    assert max(len(ln) - len(ln.lstrip(" ")) for ln in doc.splitlines()) <= 2 * MAX_PARTS
    back = from_argdown(doc)
    assert [(r.source, r.target, r.kind) for r in back.relations] == [
        (r.source, r.target, r.kind) for r in m.relations
    ]
    assert back.thesis == "u1" and [u.text for u in back.units] == [u.text for u in m.units]


def test_argdown_titles_stay_unique_when_shortened_numbers_collide() -> None:
    from argmap.interchange.argdown import from_argdown, to_argdown
    from argmap.render.numbering import number_units

    # A chain of five, then two long chains from its end: beyond twelve levels the two
    # differ only in a level the shortened number leaves out.
    s = RelationKind.SUPPORT
    units = [_unit(1, "Root.", Role.THESIS), *(_unit(i, f"Step {i}.") for i in range(2, 6))]
    relations = [Relation(source=f"u{i}", target=f"u{i - 1}", kind=s, confidence=0.5)
                 for i in range(2, 6)]  # fmt: skip
    for branch in (0, 1):
        for k in range(20):
            i = len(units) + 1
            units.append(_unit(i, f"Branch {branch} step {k}."))
            target = "u5" if k == 0 else f"u{i - 1}"
            relations.append(Relation(source=f"u{i}", target=target, kind=s, confidence=0.5))
    m = ArgumentMap(thesis="u1", units=units, relations=relations)
    numbers = list(number_units(m).values())
    assert len(set(numbers)) < len(numbers)  # shortened numbers do collide here
    doc = to_argdown(m)
    back = from_argdown(doc)
    assert len(back.units) == len(m.units)
    assert sorted((r.source, r.target) for r in back.relations) == sorted(
        (r.source, r.target) for r in m.relations
    )


ARGDOWN_BIN = ROOT / ".node" / "node_modules" / ".bin" / "argdown"


@pytest.mark.skipif(
    not (ARGDOWN_BIN.exists() and shutil.which("node")),
    reason="reference Argdown CLI not installed (make argdown)",
)
def test_reference_argdown_reads_a_deep_chain_continued_in_blocks(tmp_path: Path) -> None:
    from argmap.interchange.argdown import to_argdown
    from argmap.render.numbering import number_units

    m = chain_map(40)
    (tmp_path / "chain.argdown").write_text(to_argdown(m), encoding="utf-8")
    done = subprocess.run(
        [str(ARGDOWN_BIN), "json", str(tmp_path / "chain.argdown"), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "error" not in (done.stdout + done.stderr).lower()
    data = json.loads((tmp_path / "out" / "chain.json").read_text(encoding="utf-8"))
    numbers = number_units(m)
    ours = sorted((numbers[r.source], numbers[r.target]) for r in m.relations)
    theirs = sorted((r["from"], r["to"]) for r in data["relations"])
    assert theirs == ours and len(data["statements"]) + len(data["arguments"]) == 40


class CountingIds(list):  # type: ignore[type-arg]
    lookups = 0

    def index(self, *args: Any) -> int:
        type(self).lookups += 1
        return super().index(*args)


def test_imported_thesis_choice_is_linear() -> None:
    from argmap.interchange._build import _descendants, pick_thesis

    n = 4_000
    ids = CountingIds(f"u{i}" for i in range(1, n + 1))
    CountingIds.lookups = 0
    assert pick_thesis(ids, []) == "u1"
    assert CountingIds.lookups == 0  # was one list search per root: n * n / 2 steps
    # Half the units are roots, all supported by one unit that heads a long chain.
    half = n // 2
    triples = [(ids[half], ids[k], RelationKind.SUPPORT) for k in range(half)]
    triples += [(ids[i + 1], ids[i], RelationKind.SUPPORT) for i in range(half, n - 1)]
    incoming: dict[str, list[str]] = {}
    for s, t, _ in triples:
        incoming.setdefault(t, []).append(s)
    roots = ids[:half]
    budget = 4 * (n + len(triples)) + 10_000
    assert _descendants(roots, incoming, budget) is None  # exact counts: 2,000 x 2,000 steps
    assert pick_thesis(ids, triples) == "u1"


def test_imported_thesis_choice_unchanged_where_exact_counting_is_cheap() -> None:
    from argmap.interchange._build import pick_thesis

    s = RelationKind.SUPPORT
    ids = ["u1", "u2", "u3", "u4", "u5"]
    assert pick_thesis(ids, [("u3", "u2", s), ("u4", "u2", s), ("u5", "u1", s)]) == "u2"
    assert pick_thesis(ids, [("u3", "u1", s), ("u4", "u2", s), ("u3", "u2", s)]) == "u2"


def test_stats_depth_walks_each_chain_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import argmap.cli.stats as stats

    def walked(parent: dict[str, str], start: str) -> tuple[str, int]:
        calls.append(start)
        return real_walk(parent, start)

    calls: list[str] = []
    real_walk = stats._walk
    monkeypatch.setattr(stats, "_walk", walked)
    assert stats._depth(chain_map(3_000)) == 2_999
    assert calls == []  # walking from every unit was 4.5 million steps
    rng = random.Random(8)
    for _ in range(1_000):
        n = rng.randrange(1, 10)
        units = [_unit(i, "We act.") for i in range(1, n + 1)]
        pairs = {(rng.randrange(1, n + 1), rng.randrange(1, n + 1)) for _ in range(n + 2)}
        relations = [Relation(source=f"u{a}", target=f"u{b}", kind=RelationKind.SUPPORT,
                              confidence=0.5) for a, b in sorted(pairs) if a != b]  # fmt: skip
        m = ArgumentMap(thesis=f"u{rng.randrange(1, n + 1)}", units=units, relations=relations)
        parent = {r.source: r.target for r in m.relations}
        ends = [real_walk(parent, u.id) for u in m.units]
        assert stats._depth(m) == max((s for e, s in ends if e == m.thesis), default=0)


# --- the bench section runs (a smoke test: no timing is asserted) ------------------------------


@pytest.fixture(scope="module")
def scaling() -> ModuleType:
    spec = importlib.util.spec_from_file_location("argmap_scaling", ROOT / "bench" / "scaling.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["argmap_scaling"] = module
    spec.loader.exec_module(module)
    return module


def test_filler_text_is_deterministic_and_sized(scaling: ModuleType) -> None:
    text = scaling.filler_text(1_000, seed=3)
    assert text == scaling.filler_text(1_000, seed=3) != scaling.filler_text(1_000, seed=4)
    assert 1_000 <= len(text.split()) < 1_100 and "\n\n" in text


@pytest.mark.needs_dot
def test_scaling_section_reports_every_row(scaling: ModuleType) -> None:
    results = {
        "scaling": scaling.measure_scaling((60, 120), rounds=1, per_round=120),
        "big_map": scaling.measure_big_map(400),
        "pathological": scaling.measure_pathological(0.002),
    }
    assert [row["words"] for row in results["scaling"]["sizes"]] == [60, 120]
    assert results["scaling"]["sizes"][0]["ratio"] == 1.0
    assert [row["format"] for row in results["big_map"]["formats"]] == ["argmap JSON", "AIF"]
    assert all(row["relations"] > 400 for row in results["big_map"]["formats"])
    shapes = results["pathological"]["shapes"]
    assert [row["shape"] for row in shapes] == list(scaling.PATHOLOGICAL)
    table = scaling.scaling_table(results)
    assert "per-word cost at 120 / at 60 words" in table
    assert all(row["shape"] in table for row in shapes)
