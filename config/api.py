"""The read-only JSON API under /api/v1/, described by /api/v1/openapi.json.

Each app adds its router here.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Spolu API",
    version="1",
    description="Read-only open data: processes, proposals, ballots and the action plan.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
