import pytest

from actionplan import services
from actionplan.models import ActionPlan


def test_the_api_lists_public_plans_and_published_commitments_only(client, plan, commitment, staff):
    services.create_commitment(staff, plan, title="Unpublished idea")
    ActionPlan.objects.create(
        title="Draft plan",
        slug="draft",
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    plans = client.get("/api/v1/actionplans/").json()
    assert [p["slug"] for p in plans] == ["ap-og-24-26"]
    data = client.get("/api/v1/actionplans/ap-og-24-26/").json()
    assert [c["title"] for c in data["commitments"]] == ["Open data on city greenery"]
    assert data["commitments"][0]["ogp_values"] == ["transparency", "participation"]
    assert client.get("/api/v1/actionplans/draft/").status_code == 404


@pytest.mark.django_db
def test_the_api_is_described_in_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/actionplans/{slug}/" in schema["paths"]
