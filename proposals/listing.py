"""The proposal list: parameters from allow-lists, then one query for the page.

Anything outside the allow-lists falls back to the default and never reaches SQL.
"""

import random
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod

from deliberation.models import Process
from proposals.forms import FILTER_STATES, PAGE_SIZES, SORTS
from proposals.models import Proposal

SEED_SESSION_KEY = "proposal_order_seed"
DEFAULT_SORT = "random"
DEFAULT_PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 200
LIST_DEFERRED = ("body", "body_html", "answer", "author__password")
# A large prime: (id * seed) mod prime is a cheap per-visitor permutation that both SQLite
# and PostgreSQL compute the same way (a big seed makes neighbouring ids land far apart).
SHUFFLE_PRIME = 4294967291


@dataclass(frozen=True)
class ListParams:
    state: str = ""
    category: int | None = None
    mine: bool = False
    sort: str = DEFAULT_SORT
    q: str = ""
    per_page: int = DEFAULT_PAGE_SIZE


def parse_params(query, process: Process, *, signed_in: bool) -> ListParams:
    state = query.get("state", "")
    if state not in FILTER_STATES:
        state = ""
    category = None
    raw_category = query.get("category", "")
    if raw_category.isdigit():
        category = int(raw_category)
    sort = query.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    per_page = DEFAULT_PAGE_SIZE
    raw_size = query.get("per_page", "")
    if raw_size.isdigit() and int(raw_size) in PAGE_SIZES:
        per_page = int(raw_size)
    return ListParams(
        state=state,
        category=category,
        mine=signed_in and query.get("mine") == "1",
        sort=sort,
        q=query.get("q", "").strip()[:SEARCH_MAX_LENGTH],
        per_page=per_page,
    )


def visitor_seed(session) -> int:
    """Stable per visitor, so paging through a random order shows every proposal once."""
    seed = session.get(SEED_SESSION_KEY)
    if not isinstance(seed, int):
        seed = random.randrange(1 << 20, SHUFFLE_PRIME)
        session[SEED_SESSION_KEY] = seed
    return seed


def search(queryset: QuerySet, q: str) -> QuerySet:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # "simple" config: proposals are Slovak and English and PostgreSQL has no Slovak
        # stemmer; prefix-free word matching still beats substring search on 10,000 rows.
        vector = SearchVector("title", weight="A", config="simple") + SearchVector(
            "body", weight="B", config="simple"
        )
        query = SearchQuery(q, search_type="websearch", config="simple")
        return queryset.annotate(search_rank=SearchRank(vector, query)).filter(search_rank__gt=0)
    return queryset.filter(Q(title__icontains=q) | Q(body__icontains=q))


def proposals_for_list(process: Process, params: ListParams, user, seed: int) -> QuerySet:
    # The list never shows bodies or answers: leaving them out keeps the rows PostgreSQL
    # sorts narrow (the sort dominates the page time with 10,000 proposals).
    qs = (
        Proposal.objects.filter(process=process, hidden=False)
        .select_related("author", "category")
        .defer(*LIST_DEFERRED)
    )
    if params.state:
        qs = qs.filter(state=params.state)
    elif params.mine:
        # My own drafts appear only in "my proposals".
        qs = qs.exclude(state=Proposal.State.WITHDRAWN)
    else:
        # By default the list shows what is alive in the process, not drafts or withdrawals.
        qs = qs.exclude(state__in=[Proposal.State.DRAFT, Proposal.State.WITHDRAWN])
    if params.category is not None:
        qs = qs.filter(category_id=params.category)
    if params.mine:
        qs = qs.filter(Q(author=user) | Q(coauthors=user)).distinct()
    if params.q:
        qs = search(qs, params.q)
    if params.sort == "newest":
        return qs.order_by("-created_at", "-pk")
    if params.sort == "supported":
        return qs.order_by("-supports_count", "-created_at", "-pk")
    if params.sort == "commented":
        return qs.order_by("-comments_count", "-created_at", "-pk")
    return qs.annotate(shuffle=Mod(F("id") * seed, SHUFFLE_PRIME)).order_by("shuffle", "pk")


def rows_of(page, params: ListParams) -> list[Proposal]:
    """The proposals of one page, in order.

    The random order cannot use an index, so its page is chosen on ids alone (a narrow
    index-only scan) and only that page's rows are then read whole: one more query, still
    the same number for any page size.
    """
    if params.sort != "random":
        return list(page.object_list)
    ids = list(page.object_list.values_list("pk", flat=True))
    by_id = Proposal.objects.select_related("author", "category").defer(*LIST_DEFERRED)
    found = by_id.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
