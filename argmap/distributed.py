"""Map a large corpus on a Dask cluster (``pip install 'argmap[dask]'``).

``argmap.analyze`` is a pure function of the text, so a corpus parallelises
without coordination: ``bag.map(argmap.analyze)`` already works, and each
worker process loads the spaCy model once (``argmap.nlp.load_model`` is
cached per process). The helpers here map a bag *partition by partition*
with ``argmap.pipeline.analyze_many``, so the texts of a partition share
spaCy batches, which is faster on short texts, and ``analyze_records`` keeps
a corpus going past texts that cannot be mapped.

Dask is never imported here: the helpers only call methods of the bag they
are given (``map_partitions``, untyped in Dask, hence the casts), so
``import argmap.distributed`` works without Dask installed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from argmap.errors import InputError

if TYPE_CHECKING:
    from dask.bag import Bag

    from argmap.model import ArgumentMap

__all__ = ["analyze_bag", "analyze_records", "map_partition", "map_records"]


def analyze_bag(texts: Bag, *, markdown: bool = False, model: str | None = None) -> Bag:
    """A bag of ``ArgumentMap``, one per text of ``texts``, in order.

    Like ``analyze``, a text that cannot be mapped (an empty one) raises
    InputError and fails the computation; use ``analyze_records`` to keep going.
    """
    mapped: Bag = cast(Any, texts).map_partitions(map_partition, markdown=markdown, model=model)
    return mapped


def analyze_records(
    records: Bag,
    *,
    field: str = "text",
    markdown: bool = False,
    model: str | None = None,
) -> Bag:
    """JSON-ready results for a bag of records (dicts, e.g. from JSON Lines).

    Each result is the record without its text field, plus ``"map"`` (the map as
    JSON data) or ``"error"`` (why this text could not be mapped), so the bag
    can go straight to ``.map(json.dumps).to_textfiles(...)``.
    """
    mapped: Bag = cast(Any, records).map_partitions(
        map_records, field=field, markdown=markdown, model=model
    )
    return mapped


def map_partition(
    texts: Iterable[str], *, markdown: bool = False, model: str | None = None
) -> list[ArgumentMap]:
    """Map one partition's texts (runs on a worker).

    Raises:
        InputError: a text cannot be mapped.
    """
    from argmap.pipeline import analyze_many

    maps: list[ArgumentMap] = []
    for result in analyze_many(texts, markdown=markdown, model=model):
        if isinstance(result, InputError):
            raise result
        maps.append(result)
    return maps


def map_records(
    records: Iterable[dict[str, Any]],
    *,
    field: str = "text",
    markdown: bool = False,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """Map one partition's records (runs on a worker); see ``analyze_records``."""
    from argmap.pipeline import analyze_many

    kept = list(records)
    texts = [record.get(field) for record in kept]
    results = analyze_many(
        (t if isinstance(t, str) else "" for t in texts), markdown=markdown, model=model
    )
    out: list[dict[str, Any]] = []
    for record, text, result in zip(kept, texts, results, strict=True):
        rest = {key: value for key, value in record.items() if key != field}
        if not isinstance(text, str):
            out.append({**rest, "error": f"no text in field {field!r}"})
        elif isinstance(result, InputError):
            out.append({**rest, "error": str(result)})
        else:
            out.append({**rest, "map": result.model_dump(mode="json")})
    return out
