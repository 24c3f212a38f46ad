"""Renderers: the map as JSON, DOT, SVG/PNG/PDF and a Markdown outline.

Graphviz is imported only when a diagram is asked for (module ``__getattr__``),
so ``import argmap.render`` and text-only commands stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from argmap.model import ArgumentMap
from argmap.render.numbering import number_units
from argmap.render.outline import to_outline

if TYPE_CHECKING:
    from argmap.render.dot import to_digraph, to_dot
    from argmap.render.html import to_html
    from argmap.render.image import render_image

__all__ = [
    "number_units",
    "render_image",
    "to_digraph",
    "to_dot",
    "to_html",
    "to_json",
    "to_outline",
]


def to_json(m: ArgumentMap) -> str:
    """Return the map as indented JSON, the lossless interchange format."""
    return m.model_dump_json(indent=2) + "\n"


def __getattr__(name: str) -> Any:
    if name in ("to_digraph", "to_dot"):
        from argmap.render import dot

        return getattr(dot, name)
    if name == "render_image":
        from argmap.render.image import render_image

        return render_image
    if name == "to_html":
        from argmap.render.html import to_html

        return to_html
    raise AttributeError(f"module 'argmap.render' has no attribute {name!r}")
