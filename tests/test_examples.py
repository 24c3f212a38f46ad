"""Golden files for the example pieces in ``examples/``: JSON and DOT, compared exactly.

Every ``examples/*.md`` and ``examples/*.txt`` is analysed as the CLI would
(Markdown for ``.md``) and its ``to_json`` and ``to_dot`` output compared with
``tests/golden/examples/<file name>.json`` and ``.dot``.

When a rule change moves the maps on purpose, regenerate the goldens and review
the diff before committing::

    ARGMAP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_examples.py
    git diff tests/golden/examples/

With the variable set, the golden tests rewrite the files that differ (and
delete goldens whose example is gone) instead of comparing; each rewritten file
is reported as a *skipped* test, so such a run is never mistaken for a passing
comparison. Run once more without the variable to see everything pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argmap.model import ArgumentMap
from argmap.pipeline import analyze
from argmap.reader import read_path
from argmap.render import to_dot, to_json

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted([*ROOT.glob("examples/*.md"), *ROOT.glob("examples/*.txt")])
GOLDEN = Path(__file__).resolve().parent / "golden" / "examples"
UPDATE = os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1"
OPED = ROOT / "examples" / "kellogg-oped.txt"
RENDERERS = {"json": to_json, "dot": to_dot}

_maps: dict[Path, ArgumentMap] = {}


def map_of(path: Path) -> ArgumentMap:
    """Analyse an example once per test session, as ``argmap analyze`` does."""
    if path not in _maps:
        text = read_path(path)
        _maps[path] = analyze(text, markdown=path.suffix == ".md")
    return _maps[path]


def test_there_are_examples() -> None:
    names = {p.name for p in EXAMPLES}
    assert OPED.name in names
    assert len([n for n in names if n.endswith(".md")]) >= 3


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_output_matches_golden(path: Path, fmt: str) -> None:
    actual = RENDERERS[fmt](map_of(path))
    golden = GOLDEN / f"{path.name}.{fmt}"
    if UPDATE:
        previous = golden.read_text(encoding="utf-8") if golden.exists() else None
        if previous != actual:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
            pytest.skip(f"rewrote {golden.relative_to(ROOT)}; review the diff")
        return
    assert golden.exists(), (
        f"no golden for {path.name}: run ARGMAP_UPDATE_GOLDEN=1 .venv/bin/pytest {__file__}"
    )
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{fmt} output of {path.name} changed; if intended, regenerate with "
        "ARGMAP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_examples.py"
    )


def test_no_stale_goldens() -> None:
    wanted = {f"{p.name}.{fmt}" for p in EXAMPLES for fmt in RENDERERS}
    stale = sorted(p.name for p in GOLDEN.glob("*") if p.name not in wanted)
    if UPDATE:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == [], "goldens without an example; regenerate with ARGMAP_UPDATE_GOLDEN=1"


def test_golden_json_round_trips() -> None:
    for path in EXAMPLES:
        golden = GOLDEN / f"{path.name}.json"
        if golden.exists():
            m = ArgumentMap.model_validate_json(golden.read_text(encoding="utf-8"))
            assert to_json(m) == golden.read_text(encoding="utf-8")


def test_same_input_gives_byte_identical_dot() -> None:
    text = read_path(OPED)
    first = to_dot(analyze(text)).encode("utf-8")
    second = to_dot(analyze(text)).encode("utf-8")
    assert first == second


def test_oped_bio_is_skipped_and_never_a_unit() -> None:
    text = read_path(OPED)
    m = map_of(OPED)
    bios = [s for s in m.skipped if s.reason == "author bio"]
    assert len(bios) == 1
    bio = bios[0]
    assert text[bio.start : bio.end] == text.rstrip().rsplit("\n", 1)[-1].strip()
    assert all(u.end <= bio.start or u.start >= bio.end for u in m.units)


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.suffix == ".md"], ids=lambda p: p.name)
def test_markdown_example_title_and_byline_are_skipped(path: Path) -> None:
    text = read_path(path)
    m = map_of(path)
    reasons = {s.reason: text[s.start : s.end] for s in m.skipped}
    assert reasons["title"].startswith("# ")
    assert reasons["byline"].startswith("By ")
    for skipped in m.skipped:
        assert all(u.end <= skipped.start or u.start >= skipped.end for u in m.units)


def test_markdown_example_bio_is_skipped() -> None:
    path = ROOT / "examples" / "library-late-fees.md"
    text = read_path(path)
    m = map_of(path)
    bios = [text[s.start : s.end] for s in m.skipped if s.reason == "author bio"]
    assert bios == [text.rstrip().rsplit("\n", 1)[-1]]
    assert m.units[-1].end < text.rstrip().rindex("\n")
