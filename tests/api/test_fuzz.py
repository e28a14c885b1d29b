"""A short fuzz of every operation from the OpenAPI document: whatever is sent, the
API answers with a status and a body its own document declares, never a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

import masthead.wsgi

HOST = {"Host": "testserver"}  # the one name the test settings allow
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", masthead.wsgi.application, headers=HOST
)


@pytest.fixture
def in_test_transaction(db):
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_api_fail_or_stray_from_its_document(case, in_test_transaction):
    case.call_and_validate(
        headers=HOST,
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
