"""The argmap exception hierarchy.

Library code raises these and never prints or exits; only the CLI turns them
into one ``error:`` line and an exit code. Every message says what to do next.
"""

from __future__ import annotations

__all__ = ["ArgmapError", "InputError", "ModelError", "RenderError"]


class ArgmapError(Exception):
    """Base class: anything argmap can explain to a user in one line."""


class InputError(ArgmapError):
    """The input cannot be read or is not a text argmap can analyse."""


class ModelError(ArgmapError):
    """The spaCy language model cannot be loaded."""


class RenderError(ArgmapError):
    """A diagram or output file cannot be produced (e.g. Graphviz is missing)."""
