"""The opinion map: who thinks alike, what each group stands for, and what everyone shares.

Pure numpy, no Django: `compute(votes, statements)` takes the votes as
(participant, statement, value) triples, value +1 agree, -1 disagree, 0 pass, and returns an
`OpinionMap`. The steps, after Pol.is (Small et al., "Polis: Scaling Deliberation by Mapping
High Dimensional Opinion Spaces", 2021):

1. **Matrix.** One row per participant with at least `min_votes` votes (fewer says too little
   to place someone; they are counted as `waiting`), one column per statement, sorted by id so
   the input's order never matters. A vote is +1/-1/0; a statement the person has not seen is
   *missing*, not 0.
2. **Missing votes, as Pol.is does.** Each missing cell takes its column's mean over the votes
   cast (column-mean imputation); the matrix is then centred on those means, so a missing cell
   is exactly 0 after centring and pulls the person neither way on that statement.
3. **PCA to two dimensions** by SVD of the centred matrix. Each component's sign is fixed (its
   largest loading positive) so that the same votes always draw the same picture.
4. **Sparse voters are not pulled to the centre.** A person who voted on few statements has
   mostly zero cells after centring, so their projection is short. As Pol.is does, each
   person's projection is multiplied by sqrt(n_statements / n_voted), which stretches it back
   to where it would be had they voted on everything in the same spirit.
5. **Groups: k-means for k = 2..5** on the projected points, k-means++ initialisation from a
   fixed seed (several starts, the lowest inertia kept), k chosen by the highest mean
   silhouette. A k whose every group has at least `min_group` people is preferred; groups
   smaller than `min_group` are never shown: their people are counted as `not_shown`.
6. **Stable labels.** Given the previous map's assignment (participant -> label), each new
   group takes the label of the previous group it shares most people with (greedy on the
   overlap, largest first). Matching people rather than centroids survives the map turning
   when the principal axes swap or flip as votes arrive. New groups take the lowest free label;
   without a previous map, labels go by size (largest first), then by the lowest member id.
7. **What each group stands for.** For each group and statement, the smoothed probabilities
   (a + 1) / (n + 2) of agreeing and of disagreeing, among the group's votes and among
   everyone else's; a statement represents the group where the group's probability exceeds the
   rest's the most (and the group leans that way, probability above one half).
8. **Common ground and division.** Each statement's group-informed consensus is the product
   over the shown groups of each group's smoothed agree probability: high only if every group
   agrees. Statements every group agrees with (each probability above one half) are the common
   ground, best first; the divisive ones have the highest variance of the agree probability
   across groups.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The matrices are small (a few hundred statements): OpenBLAS's threads only contend, with
# the server's own threads and each other, and on this 2-core machine under load they made the
# map six times slower (docs/opinions.md). Only if nobody has imported numpy or chosen before.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

MIN_VOTES = 3
MIN_GROUP = 5
K_RANGE = range(2, 6)
REPRESENTATIVE_COUNT = 5
# Silhouette needs all pairwise distances; above this many people a fixed sample is used.
SILHOUETTE_SAMPLE = 2000
KMEANS_STARTS = 4
KMEANS_ITERATIONS = 100


@dataclass(frozen=True)
class StatementScore:
    statement: int
    score: float
    # Each shown group's smoothed agree probability, in the order of `OpinionMap.groups`.
    agree: tuple[float, ...]


@dataclass(frozen=True)
class Representative:
    statement: int
    kind: str  # "agree" or "disagree"
    group: float  # the group's smoothed probability of voting `kind`
    rest: float  # everyone else's


@dataclass(frozen=True)
class Group:
    label: int
    members: tuple[int, ...]
    centroid: tuple[float, float]
    representative: tuple[Representative, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class OpinionMap:
    statements: tuple[int, ...]
    # Each placed participant's point; only for drawing dots and the viewer's own dot.
    points: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Each placed participant's group label, None when their group is too small to show.
    assignment: dict[int, int | None] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    not_shown: int = 0
    waiting: int = 0
    consensus: tuple[StatementScore, ...] = ()
    common_ground: tuple[StatementScore, ...] = ()
    divisive: tuple[StatementScore, ...] = ()

    @property
    def placed(self) -> int:
        return len(self.points)


def smoothed(hits: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """(a + 1) / (n + 2): a probability that says 1/2 when nobody voted."""
    return (hits + 1.0) / (seen + 2.0)


def build_matrix(
    votes: Iterable[tuple[int, int, int]], statements: Iterable[int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant ids, statement ids, matrix) with NaN for unseen; rows and columns sorted."""
    triples = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
    if statements is not None:
        statement_ids = np.unique(np.fromiter(statements, dtype=np.int64))
        triples = triples[np.isin(triples[:, 1], statement_ids)]
    else:
        statement_ids = np.unique(triples[:, 1])
    participant_ids, rows = np.unique(triples[:, 0], return_inverse=True)
    columns = np.searchsorted(statement_ids, triples[:, 1])
    matrix = np.full((len(participant_ids), len(statement_ids)), np.nan)
    matrix[rows, columns] = np.clip(triples[:, 2], -1, 1)
    return participant_ids, statement_ids, matrix


def project(matrix: np.ndarray) -> np.ndarray:
    """Each row's point in two dimensions (steps 2 to 4 of the module's docstring)."""
    n, m = matrix.shape
    seen = ~np.isnan(matrix)
    counts = seen.sum(axis=0)
    sums = np.where(seen, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(m), where=counts > 0)
    centred = np.where(seen, matrix - means, 0.0)
    if n == 0 or m == 0:
        return np.zeros((n, 2))
    # The principal axes are the top eigenvectors of the m × m scatter matrix: for a few
    # hundred statements much cheaper than an SVD of the whole participant matrix.
    values, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, ::-1][:, :2].T
    components = np.zeros((2, m))
    components[: len(top)] = top
    for component in components:
        if component[np.argmax(np.abs(component))] < 0:
            component *= -1
    points = centred @ components.T
    voted = seen.sum(axis=1)
    scale = np.sqrt(m / np.maximum(voted, 1))
    return points * scale[:, None]


def _plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray | None:
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        distance = ((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1).min(axis=1)
        total = distance.sum()
        if total <= 1e-12:
            return None  # fewer distinct points than k
        centres.append(points[rng.choice(len(points), p=distance / total)])
    return np.array(centres)


def kmeans(points: np.ndarray, k: int, seed: int = 0) -> np.ndarray | None:
    """Labels 0..k-1 of the lowest-inertia run of `KMEANS_STARTS` k-means++ starts from
    `seed`, or None when the points cannot make k non-empty groups."""
    rng = np.random.default_rng(seed)
    best, best_inertia = None, np.inf
    for _ in range(KMEANS_STARTS):
        centres = _plus_plus(points, k, rng)
        if centres is None:
            return None
        labels = None
        for _ in range(KMEANS_ITERATIONS):
            distance = ((points[:, None, :] - centres[None]) ** 2).sum(-1)
            new_labels = distance.argmin(axis=1)
            if labels is not None and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            sizes = np.bincount(labels, minlength=k)
            filled = sizes > 0
            for axis in range(points.shape[1]):
                sums = np.bincount(labels, weights=points[:, axis], minlength=k)
                centres[filled, axis] = sums[filled] / sizes[filled]
        if len(np.unique(labels)) < k:
            continue
        inertia = distance[np.arange(len(points)), labels].sum()
        if inertia < best_inertia - 1e-9:
            best, best_inertia = labels.copy(), inertia
    return best


def distances(points: np.ndarray) -> np.ndarray:
    """All pairwise distances between the points (n × n)."""
    dx = points[:, 0][:, None] - points[:, 0][None]
    dy = points[:, 1][:, None] - points[:, 1][None]
    return np.sqrt(dx * dx + dy * dy)


def silhouette(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette: for each point, (b - a) / max(a, b), a the mean distance to its own
    group, b to the nearest other group; 0 for a point alone in its group."""
    n = len(labels)
    k = labels.max() + 1
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sums = distance @ onehot
    sizes = onehot.sum(axis=0)
    own_size = sizes[labels]
    rows = np.arange(n)
    a = np.divide(sums[rows, labels], own_size - 1, out=np.zeros(n), where=own_size > 1)
    other = sums / np.maximum(sizes, 1)
    other[rows, labels] = np.inf
    other[:, sizes == 0] = np.inf
    b = other.min(axis=1)
    spread = np.maximum(a, b)
    s = np.divide(b - a, spread, out=np.zeros(n), where=spread > 0)
    s[own_size <= 1] = 0.0
    return float(s.mean())


def choose_groups(points: np.ndarray, min_group: int = MIN_GROUP, seed: int = 0) -> np.ndarray:
    """Labels by k-means for the k in `K_RANGE` of the best silhouette, preferring a k whose
    every group has `min_group` people; all zeros when no split is possible."""
    # Silhouettes need every pairwise distance; above SILHOUETTE_SAMPLE people, a fixed
    # sample's.
    sample = np.arange(len(points))
    if len(points) > SILHOUETTE_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(len(points), SILHOUETTE_SAMPLE, False))
    distance = distances(points[sample])
    candidates = []
    for k in K_RANGE:
        if k >= len(points):
            break
        labels = kmeans(points, k, seed)
        if labels is None:
            continue
        large = np.bincount(labels, minlength=k).min() >= min_group
        candidates.append((large, silhouette(distance, labels[sample]), -k, labels))
    if not candidates:
        return np.zeros(len(points), dtype=int)
    # Largest first on (all groups large enough, silhouette, fewer groups); strictly
    # comparing keeps the first on a tie.
    best = candidates[0]
    for candidate in candidates[1:]:
        if candidate[:3] > best[:3]:
            best = candidate
    return best[3]


def _label(
    clusters: list[np.ndarray], participant_ids: np.ndarray, previous: Mapping[int, int | None]
) -> list[int]:
    """A label for each cluster (given as arrays of row indexes, in default order)."""
    labels: list[int | None] = [None] * len(clusters)
    if previous:
        overlaps = []
        for i, rows in enumerate(clusters):
            counts: dict[int, int] = {}
            for pid in participant_ids[rows].tolist():
                old = previous.get(pid)
                if old is not None:
                    counts[old] = counts.get(old, 0) + 1
            overlaps += [(-count, i, old) for old, count in counts.items()]
        taken: set[int] = set()
        for _, i, old in sorted(overlaps):
            if labels[i] is None and old not in taken:
                labels[i] = old
                taken.add(old)
    free = (n for n in range(len(clusters) + len(set(labels))) if n not in set(labels))
    return [label if label is not None else next(free) for label in labels]


def _probabilities(matrix: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed agree and disagree probabilities per statement among `rows`."""
    part = matrix[rows]
    seen = (~np.isnan(part)).sum(axis=0)
    agree = (part == 1).sum(axis=0)
    disagree = (part == -1).sum(axis=0)
    return smoothed(agree, seen), smoothed(disagree, seen)


def _representative(
    matrix: np.ndarray, rows: np.ndarray, statement_ids: np.ndarray
) -> tuple[Representative, ...]:
    rest = np.setdiff1d(np.arange(len(matrix)), rows)
    agree_in, disagree_in = _probabilities(matrix, rows)
    agree_out, disagree_out = _probabilities(matrix, rest)
    found = []
    for j, sid in enumerate(statement_ids.tolist()):
        for kind, inside, outside in (
            ("agree", agree_in[j], agree_out[j]),
            ("disagree", disagree_in[j], disagree_out[j]),
        ):
            if inside > 0.5 and inside > outside:
                found.append((-(inside - outside), sid, kind, float(inside), float(outside)))
    found.sort()
    return tuple(
        Representative(statement=sid, kind=kind, group=inside, rest=outside)
        for _, sid, kind, inside, outside in found[:REPRESENTATIVE_COUNT]
    )


def compute(
    votes: Iterable[tuple[int, int, int]],
    statements: Iterable[int] | None = None,
    previous: Mapping[int, int | None] | None = None,
    *,
    min_votes: int = MIN_VOTES,
    min_group: int = MIN_GROUP,
    seed: int = 0,
) -> OpinionMap:
    """The map of these votes. `statements`: the statements to map (others' votes ignored;
    default every statement voted on); `previous`: the last map's `assignment`, to keep its
    labels."""
    participant_ids, statement_ids, matrix = build_matrix(votes, statements)
    voted = (~np.isnan(matrix)).sum(axis=1)
    placed = voted >= min_votes
    waiting = int((~placed).sum())
    participant_ids, matrix = participant_ids[placed], matrix[placed]
    if len(participant_ids) == 0:
        return OpinionMap(statements=tuple(statement_ids.tolist()), waiting=waiting)

    points = project(matrix)
    labels = choose_groups(points, min_group, seed)
    clusters = [np.flatnonzero(labels == j) for j in range(labels.max() + 1)]
    # One group of everyone is no group: nothing to contrast it with.
    clusters = [rows for rows in clusters if len(rows) >= min_group and len(clusters) > 1]
    clusters.sort(key=lambda rows: (-len(rows), participant_ids[rows].min()))
    names = _label(clusters, participant_ids, previous or {})

    groups = []
    assignment: dict[int, int | None] = dict.fromkeys(participant_ids.tolist())
    for name, rows in zip(names, clusters, strict=True):
        members = tuple(participant_ids[rows].tolist())
        assignment.update(dict.fromkeys(members, name))
        centre = points[rows].mean(axis=0)
        groups.append(
            Group(
                label=name,
                members=members,
                centroid=(float(centre[0]), float(centre[1])),
                representative=_representative(matrix, rows, statement_ids),
            )
        )
    groups.sort(key=lambda group: group.label)
    shown = sum(group.size for group in groups)

    # Consensus over the shown groups; with none, over everyone placed as one group.
    group_rows = [np.searchsorted(participant_ids, g.members) for g in groups] or [
        np.arange(len(participant_ids))
    ]
    agree = np.array([_probabilities(matrix, rows)[0] for rows in group_rows])
    consensus_score = agree.prod(axis=0)
    order = sorted(range(len(statement_ids)), key=lambda j: (-consensus_score[j], statement_ids[j]))
    consensus = tuple(
        StatementScore(
            statement=int(statement_ids[j]),
            score=float(consensus_score[j]),
            agree=tuple(float(p) for p in agree[:, j]) if groups else (),
        )
        for j in order
    )
    common_ground = tuple(
        score for score, j in zip(consensus, order, strict=True) if (agree[:, j] > 0.5).all()
    )
    divisive: tuple[StatementScore, ...] = ()
    if len(groups) >= 2:
        variance = agree.var(axis=0)
        by_variance = sorted(
            range(len(statement_ids)), key=lambda j: (-variance[j], statement_ids[j])
        )
        divisive = tuple(
            StatementScore(
                statement=int(statement_ids[j]),
                score=float(variance[j]),
                agree=tuple(float(p) for p in agree[:, j]),
            )
            for j in by_variance
            if variance[j] > 0.01
        )

    return OpinionMap(
        statements=tuple(statement_ids.tolist()),
        points={
            pid: (float(x), float(y))
            for pid, (x, y) in zip(participant_ids.tolist(), points, strict=True)
        },
        assignment=assignment,
        groups=tuple(groups),
        not_shown=len(participant_ids) - shown,
        waiting=waiting,
        consensus=consensus,
        common_ground=common_ground,
        divisive=divisive,
    )


def convex_hull(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The hull's corners, counter-clockwise (Andrew's monotone chain), for drawing a group."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
