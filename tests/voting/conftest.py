import threading

import pytest

from voting import batches


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads English (tests/conftest.py)."""


@pytest.fixture
def batch_sizes(monkeypatch):
    """How many votes each batch the writer applied held."""
    sizes = []
    apply = batches.VoteWriter._apply

    def counted(self, batch):
        sizes.append(len(batch))
        apply(self, batch)

    monkeypatch.setattr(batches.VoteWriter, "_apply", counted)
    return sizes


@pytest.fixture
def hold_writer():
    """Makes the writer busy with a batch that waits until the test lets it go: what is
    submitted meanwhile waits in the queue and goes into the next batch together. Called once
    the test's data is written (SQLite would keep the test's writes waiting for the batch)."""
    gate = threading.Event()
    held = []

    def hold() -> threading.Event:
        started = threading.Event()

        def wait():
            started.set()
            assert gate.wait(10)

        held.append(batches.WRITER.submit(wait))
        assert started.wait(10)
        return gate

    yield hold
    gate.set()
    for future in held:
        future.result(10)
