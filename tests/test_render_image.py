"""Running dot: formats, and the errors a user sees when it cannot run."""

from __future__ import annotations

import shutil

import graphviz
import pytest

from argmap.errors import RenderError
from argmap.render import render_image

needs_dot = pytest.mark.needs_dot
skip_no_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")

DOT = 'digraph g { a [label="thesis"]; a -> b [dir=back] }'
NO_DOT = (
    "Graphviz 'dot' was not found; install it with: sudo apt-get install -y graphviz "
    "(Debian/Ubuntu) or brew install graphviz (macOS)"
)


@needs_dot
@skip_no_dot
@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<svg"), ("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")]
)
def test_formats(fmt: str, magic: bytes) -> None:
    image = render_image(DOT, fmt)
    assert magic in image[:400]


@pytest.mark.parametrize("fmt", ["jpg", "SVG", "", "svg;rm"])
def test_unknown_format_is_a_render_error(fmt: str) -> None:
    with pytest.raises(RenderError, match="unknown image format"):
        render_image(DOT, fmt)


def test_missing_dot_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RenderError) as err:
        render_image(DOT, "svg")
    assert str(err.value) == NO_DOT
    assert "\n" not in str(err.value)


def test_missing_dot_reported_by_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_found(*args: object, **kwargs: object) -> bytes:
        raise graphviz.ExecutableNotFound(["dot", "-Tsvg"])

    monkeypatch.setattr(graphviz, "pipe", not_found)
    with pytest.raises(RenderError, match=r"^Graphviz 'dot' was not found; install it with: "):
        render_image(DOT, "png")


@needs_dot
@skip_no_dot
def test_dot_failure_gives_dots_error_line_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(RenderError) as err:
        render_image("digraph { a -> }", "svg")
    message = str(err.value)
    assert message.startswith("Graphviz 'dot' failed: Error:")
    assert "syntax error" in message
    assert "\n" not in message
    assert capfd.readouterr() == ("", "")
