"""What every router of the JSON API shares: its pages and the shape of its errors.

A page past the last one answers 404 (page 1 always exists, empty or not); a `page_size`
above `MAX_PAGE_SIZE`, a page below 1 or a number that is not one answers 422. Neither
reaches the database with an offset it cannot hold, so neither is a 500.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    """A refusal: 403 or 404."""

    detail: str


class ValidationErrorOut(Schema):
    """422: a query parameter that is not valid; one entry per problem."""

    detail: list[dict[str, Any]]


# What an endpoint may answer besides 200, for its `response=` and so the OpenAPI schema.
NOT_FOUND = {404: ErrorOut}
NOT_FOUND_OR_INVALID = {404: ErrorOut, 422: ValidationErrorOut}


class Pages(PageNumberPagination):
    """Page numbers with a capped page size; a page past the last one is not found."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="1 for the first page; past the last one: 404.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"At most {MAX_PAGE_SIZE}."
        )

    def __init__(self, page_size: int = 25, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        count = self._items_count(queryset)
        # Compare before slicing: an offset of 10**20 overflows the database's integer.
        if pagination.page > 1 and (pagination.page - 1) * page_size >= count:
            raise HttpError(404, "There is no such page.")
        offset = (pagination.page - 1) * page_size
        return {self.items_attribute: queryset[offset : offset + page_size], "count": count}

    async def apaginate_queryset(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Spolu's API views are synchronous.")
