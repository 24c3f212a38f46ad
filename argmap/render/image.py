"""Run Graphviz ``dot`` to turn DOT source into SVG, PNG or PDF.

This is the only module that starts a ``dot`` process, so the one external
dependency argmap has beyond Python fails in one place, with one message that
says how to install it.
"""

from __future__ import annotations

import graphviz

from argmap.errors import RenderError

__all__ = ["FORMATS", "render_image"]

FORMATS = ("svg", "png", "pdf")

_NO_DOT = (
    "Graphviz 'dot' was not found; install it with: sudo apt-get install -y graphviz "
    "(Debian/Ubuntu) or brew install graphviz (macOS)"
)


def _first_error_line(stderr: bytes | str | None) -> str:
    """Pick the line of dot's stderr that explains the failure."""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    return (errors or lines or ["no error message"])[0]


def render_image(dot_source: str, fmt: str = "svg") -> bytes:
    """Lay out and draw DOT source with ``dot``.

    Args:
        dot_source: DOT text, e.g. from :func:`argmap.render.dot.to_dot`.
        fmt: ``"svg"``, ``"png"`` or ``"pdf"``.

    Returns:
        The image file's bytes.

    Raises:
        RenderError: If the format is unknown, ``dot`` is not installed, or
            ``dot`` rejects the source (with dot's own error line).
    """
    if fmt not in FORMATS:
        raise RenderError(f"unknown image format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    try:
        image: bytes = graphviz.pipe("dot", fmt, dot_source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(_NO_DOT) from None
    except graphviz.CalledProcessError as e:
        raise RenderError(f"Graphviz 'dot' failed: {_first_error_line(e.stderr)}") from None
    return image
