"""Votes from planted camps, for the tests, the benchmark and the demo (pure numpy)."""

from collections.abc import Sequence

import numpy as np


def planted_votes(
    stances: Sequence[Sequence[int]],
    sizes: Sequence[int],
    *,
    seen: float = 0.8,
    noise: float = 0.1,
    seed: int = 0,
    participants: Sequence[int] | None = None,
    statements: Sequence[int] | None = None,
) -> list[tuple[int, int, int]]:
    """(participant, statement, value) triples: camp c's members vote `stances[c][j]` on
    statement j, each seeing a statement with probability `seen` and, with probability `noise`,
    voting one of the other two values instead. Participants and statements are numbered from 1
    unless given."""
    rng = np.random.default_rng(seed)
    count = sum(sizes)
    participants = list(participants) if participants is not None else list(range(1, count + 1))
    n_statements = len(stances[0])
    statements = list(statements) if statements is not None else list(range(1, n_statements + 1))
    votes = []
    person = 0
    for stance, size in zip(stances, sizes, strict=True):
        for _ in range(size):
            for j in range(n_statements):
                if rng.random() >= seen:
                    continue
                value = int(stance[j])
                if rng.random() < noise:
                    value = int(rng.choice([v for v in (-1, 0, 1) if v != value]))
                votes.append((participants[person], statements[j], value))
            person += 1
    return votes
