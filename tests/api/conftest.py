"""Tokens for the personas, and a client that speaks JSON to the API."""

import json

import pytest

from masthead.api import tokens
from tests.discussion.conftest import make_comment  # noqa: F401  (a fixture)


class Api:
    def __init__(self, client, token=None):
        self.client, self.token = client, token

    def _headers(self, extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **extra}

    def get(self, path, **extra):
        return self.client.get(f"/api/v1{path}", **self._headers(extra))

    def post(self, path, data=None, **extra):
        body = json.dumps(data if data is not None else {})
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", **self._headers(extra)
        )

    def patch(self, path, data, **extra):
        return self.client.patch(
            f"/api/v1{path}", json.dumps(data), content_type="application/json",
            **self._headers(extra),
        )  # fmt: skip


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def api_as(client):
    """The API as this user, through a token of theirs."""

    def make(user):
        _, secret = tokens.issue_token(user, "test")
        return Api(client, secret)

    return make
