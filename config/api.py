"""The read-only JSON API under /api/v1/, described by /api/v1/openapi.json.

Each app adds its router here.
"""

from ninja import NinjaAPI, Swagger

from core.api import ErrorOut

# core.middleware.TextInputMiddleware answers any request whose path or query is not clean
# UTF-8 (a control character, bytes that are no text) before a view runs, so every operation
# may answer it.
NOT_TEXT = {
    "description": "The path or a parameter is not clean UTF-8 text (e.g. a control character).",
    "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
}


class SpoluAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                operation["responses"].setdefault(400, NOT_TEXT)
        return schema


api = SpoluAPI(
    title="Spolu API",
    version="1",
    description=(
        "Read-only open data: processes, proposals, ballots, the action plan and conversations."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Served from ninja's static files ("ninja" is in INSTALLED_APPS), so the page works
    # offline and under the Content-Security-Policy; no spec is sent to the online validator.
    docs=Swagger(settings={"validatorUrl": None}),
)

from actionplan.api import router as actionplans_router  # noqa: E402
from deliberation.api import router as processes_router  # noqa: E402
from opinions.api import router as conversations_router  # noqa: E402
from proposals.api import router as proposals_router  # noqa: E402
from proposals.comment_api import router as comments_router  # noqa: E402
from voting.api import router as ballots_router  # noqa: E402

api.add_router("/processes/", processes_router)
api.add_router("/proposals/", proposals_router)
api.add_router("/proposals/", comments_router)
api.add_router("/ballots/", ballots_router)
api.add_router("/actionplans/", actionplans_router)
api.add_router("/conversations/", conversations_router)
