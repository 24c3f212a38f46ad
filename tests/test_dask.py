"""Large corpora on Dask: a LocalCluster of 2 worker processes, each loading the model once.

``argmap.analyze`` is a pure function of the text, so ``bag.map(argmap.analyze)``
just works; ``argmap.distributed`` maps whole partitions with ``analyze_many``
(shared spaCy batches) and can keep a corpus going past bad records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

pytest.importorskip("distributed")

import dask.bag as db
from dask.distributed import Client, LocalCluster

import argmap
from argmap.distributed import analyze_bag, analyze_records
from argmap.errors import InputError
from argmap.nlp import loaded_models

TEXTS = [
    f"Our town should open {n} more reading rooms, because quiet space helps students. "
    "Critics say the rooms cost too much, but volunteers could staff them.\n"
    for n in range(2, 14)
]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


def test_a_corpus_on_a_local_cluster(client: Client) -> None:
    bag = db.from_sequence(TEXTS, npartitions=4)
    maps = analyze_bag(bag).compute()
    assert maps == [argmap.analyze(text) for text in TEXTS]
    plain = bag.map(argmap.analyze).compute()  # the pure function works as it is
    assert plain == maps
    per_worker = client.run(loaded_models)
    assert len(per_worker) == 2
    assert all(len(models) <= 1 for models in per_worker.values()), per_worker
    assert any(models for models in per_worker.values())


def test_records_keep_going_past_bad_texts(client: Client) -> None:
    records = [{"id": i, "text": text} for i, text in enumerate(TEXTS[:3])]
    records += [{"id": 3, "text": "   "}, {"id": 4, "body": "no text"}]
    results = analyze_records(db.from_sequence(records, npartitions=2)).compute()
    assert [r["id"] for r in results] == [0, 1, 2, 3, 4]
    assert results[0]["map"] == argmap.analyze(TEXTS[0]).model_dump(mode="json")
    assert results[3] == {"id": 3, "error": "the text is empty: there is nothing to map"}
    assert results[4] == {"id": 4, "body": "no text", "error": "no text in field 'text'"}


def test_a_bad_text_fails_analyze_bag_like_analyze(client: Client) -> None:
    with pytest.raises(InputError, match="empty"):
        analyze_bag(db.from_sequence(["", TEXTS[0]], npartitions=1)).compute()
