"""The OpenAPI document is valid, and the docs page calls on no third party."""

from openapi_spec_validator import validate


def test_the_openapi_document_validates(api, db):
    reply = api.get("/openapi.json")
    assert reply.status_code == 200
    document = reply.json()
    validate(document)
    assert "/api/v1/posts/{post_id}/comments" in document["paths"]
    assert document["components"]["securitySchemes"]["StaffToken"]["scheme"] == "bearer"


def test_every_staff_endpoint_says_it_needs_a_token(api, db):
    paths = api.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for operation in operations.values():
            needs = bool(operation.get("security"))
            assert needs == path.startswith(("/api/v1/moderation", "/api/v1/drafts")), path


def test_the_docs_page_loads_only_from_the_site(api, db):
    html = api.get("/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
