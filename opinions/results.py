"""A conversation's map as pages and exports show it: the votes read in one query, the map
computed by `opinions.opinion_map` and kept in the cache until a vote or a statement changes,
and the drawing's geometry.

The previous map's assignment is kept too (without expiry), so group labels stay put from one
computation to the next (opinion_map's step 6)."""

import hashlib
import string
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from opinions import opinion_map
from opinions.models import Conversation, OpinionVote, Statement

VIEW = 100.0  # the drawing's square viewBox
KEY_PREFIX = "opinions"
MARGIN = 8.0


def group_name(label: int) -> str:
    return string.ascii_uppercase[label % 26]


def votes_of(conversation: Conversation) -> list[tuple[int, int, int]]:
    """(voter, statement, value) of every vote on a visible statement."""
    return list(
        OpinionVote.objects.filter(
            conversation=conversation, statement__state=Statement.State.VISIBLE
        ).values_list("voter_id", "statement_id", "value")
    )


def _fingerprint(conversation: Conversation) -> str:
    votes = OpinionVote.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"), last=Max("voted_at")
    )
    states = Statement.objects.filter(conversation=conversation).order_by("pk")
    shown = hashlib.sha256(repr(list(states.values_list("pk", "state"))).encode()).hexdigest()
    return f"{votes['n']}:{votes['last']}:{shown}"


def _key(conversation: Conversation, kind: str) -> str:
    # The creation time too: a pk handed out again (SQLite after a deletion, a rolled-back
    # test) must not inherit another conversation's map or labels.
    return f"{KEY_PREFIX}:{kind}:{conversation.pk}:{conversation.created_at.timestamp()}"


def map_of(conversation: Conversation) -> opinion_map.OpinionMap:
    key = _key(conversation, "map")
    fingerprint = _fingerprint(conversation)
    kept = cache.get(key)
    if kept and kept[0] == fingerprint:
        return kept[1]
    previous_key = _key(conversation, "labels")
    visible = Statement.objects.filter(
        conversation=conversation, state=Statement.State.VISIBLE
    ).values_list("pk", flat=True)
    result = opinion_map.compute(
        votes_of(conversation), statements=list(visible), previous=cache.get(previous_key)
    )
    cache.set(key, (fingerprint, result), 3600)
    cache.set(previous_key, result.assignment, None)
    return result


@dataclass
class Dot:
    x: float
    y: float
    group: str  # the group's letter, "" when not shown

    @property
    def above(self) -> float:
        """Where a label over the dot goes."""
        return round(self.y - 3.5, 2)


@dataclass
class Drawing:
    dots: list[Dot]
    hulls: list[tuple[str, str]]  # (letter, SVG points)
    labels: list[tuple[str, float, float]]  # (letter, x, y)
    you: Dot | None


def drawing(result: opinion_map.OpinionMap, viewer_pk: int | None) -> Drawing:
    """The map scaled into the square viewBox, y pointing up; the viewer's own dot apart."""
    if not result.points:
        return Drawing([], [], [], None)
    xs = [p[0] for p in result.points.values()]
    ys = [p[1] for p in result.points.values()]
    half = max(max(map(abs, xs)), max(map(abs, ys)), 1e-9)
    scale = (VIEW / 2 - MARGIN) / half

    def place(point):
        return (round(VIEW / 2 + point[0] * scale, 2), round(VIEW / 2 - point[1] * scale, 2))

    letters = {g.label: group_name(g.label) for g in result.groups}
    dots = []
    you = None
    for pid, point in sorted(result.points.items()):
        x, y = place(point)
        label = result.assignment.get(pid)
        dot = Dot(x, y, letters.get(label, "") if label is not None else "")
        if pid == viewer_pk:
            you = dot
        else:
            dots.append(dot)
    hulls, labels = [], []
    for group in result.groups:
        corners = opinion_map.convex_hull(place(result.points[m]) for m in group.members)
        hulls.append((letters[group.label], " ".join(f"{x},{y}" for x, y in corners)))
        labels.append((letters[group.label], *place(group.centroid)))
    return Drawing(dots, hulls, labels, you)
