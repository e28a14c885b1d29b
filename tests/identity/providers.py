"""Local stand-ins for WordPress.com, X and Facebook, spoken to over real HTTP.

Each fake runs an HTTP server on 127.0.0.1 in a thread and answers the
authorize, token and profile endpoints with the payloads each provider
documents, checking what a real provider checks (client credentials, the
one-time code, the redirect URI, PKCE, the bearer token), so a test fails when
Masthead sends something a real provider would refuse.
"""

import base64
import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tests.ports import free_port

CLIENT_ID = "masthead-test-client"
SECRET = "masthead-test-secret"


class OAuthError(Exception):
    def __init__(self, status, error):
        super().__init__(error)
        self.status, self.error = status, error


class FakeProvider:
    """One provider: subclasses name the routes and shape the payloads."""

    routes: dict = {}
    profile: dict = {}

    def __init__(self):
        self.codes, self.tokens, self.calls = {}, set(), []
        self.consent = "grant"
        self.stall = 0.0
        self.profile = json.loads(json.dumps(type(self).profile))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, method, path, query, form, headers):
        self.calls.append((method, path))
        time.sleep(self.stall)
        name = self.routes.get((method, path))
        if name is None:
            return 404, {}, {"error": "not_found"}
        try:
            return getattr(self, name)(query, form, headers)
        except OAuthError as e:
            return e.status, {}, self.error_payload(e.error)

    def error_payload(self, error):
        return {"error": error}

    def authorize(self, query, form, headers):
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            raise OAuthError(400, "invalid_request")
        redirect_uri = query["redirect_uri"]
        if self.consent != "grant":
            params = {"error": self.consent, "state": query.get("state", "")}
            return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}, None
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": redirect_uri,
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
        }
        params = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}, None

    def client_credentials(self, params, headers):
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            return user, password
        return params.get("client_id"), params.get("client_secret")

    def redeem(self, params, headers):
        """Check a token request as the provider would and hand out a fresh token."""
        if self.client_credentials(params, headers) != (CLIENT_ID, SECRET):
            raise OAuthError(401, "invalid_client")
        grant = self.codes.pop(params.get("code"), None)
        if params.get("grant_type", "authorization_code") != "authorization_code":
            raise OAuthError(400, "unsupported_grant_type")
        if grant is None or grant["redirect_uri"] != params.get("redirect_uri"):
            raise OAuthError(400, "invalid_grant")
        if grant["challenge"]:
            verifier = params.get("code_verifier", "").encode()
            digest = hashlib.sha256(verifier).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant["method"] != "S256" or expected != grant["challenge"]:
                raise OAuthError(400, "invalid_grant")
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return token

    def bearer(self, headers):
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            raise OAuthError(401, "invalid_token")
        return token


class FakeWordPressCom(FakeProvider):
    """public-api.wordpress.com: /oauth2/authorize, /oauth2/token, /rest/v1/me."""

    routes = {
        ("GET", "/oauth2/authorize"): "authorize",
        ("POST", "/oauth2/token"): "token",
        ("GET", "/rest/v1/me"): "me",
    }
    profile = {
        "ID": 81723064,
        "display_name": "Noor Haddad",
        "username": "noorhaddad",
        "email": "noor@example.net",
        "email_verified": True,
        "primary_blog": 0,
        "language": "en",
        "token_site_id": False,
        "avatar_URL": "http://127.0.0.1/avatar/noor.png",
        "profile_URL": "http://127.0.0.1/profile/noorhaddad",
        "verified": True,
        "date": "2014-03-02T09:14:55+00:00",
        "site_count": 0,
        "visible_site_count": 0,
        "has_unseen_notes": False,
        "phone_account": False,
    }

    def token(self, query, form, headers):
        token = self.redeem(form, headers)
        payload = {"access_token": token, "token_type": "bearer", "blog_id": "0"}
        return 200, {}, {**payload, "blog_url": None, "scope": "auth"}

    def me(self, query, form, headers):
        self.bearer(headers)
        return 200, {}, self.profile


class FakeX(FakeProvider):
    """api.x.com/2: a confidential client with PKCE and HTTP Basic credentials."""

    routes = {
        ("GET", "/i/oauth2/authorize"): "authorize",
        ("POST", "/2/oauth2/token"): "token",
        ("GET", "/2/users/me"): "me",
    }
    profile = {
        "id": "1460123987654321408",
        "name": "Tomás Ferreira",
        "username": "tferreira",
        "profile_image_url": "http://127.0.0.1/avatar/tomas_normal.jpg",
        "verified": False,
        "created_at": "2021-11-15T06:23:41.000Z",
    }

    def token(self, query, form, headers):
        if not headers.get("Authorization", "").startswith("Basic "):
            raise OAuthError(401, "unauthorized_client")
        token = self.redeem(form, headers)
        payload = {"token_type": "bearer", "expires_in": 7200, "access_token": token}
        return 200, {}, {**payload, "scope": "users.read tweet.read"}

    def me(self, query, form, headers):
        self.bearer(headers)
        fields = query.get("user.fields", "id,name,username").split(",")
        keep = {"id", "name", "username", *fields}
        return 200, {}, {"data": {k: v for k, v in self.profile.items() if k in keep}}


class FakeFacebook(FakeProvider):
    """graph.facebook.com/v19.0: token by GET, /me with an appsecret_proof."""

    version = "v19.0"
    profile = {
        "id": "10229871234567890",
        "name": "Ingrid Solberg",
        "first_name": "Ingrid",
        "last_name": "Solberg",
        "email": "ingrid@example.net",
        "link": "http://127.0.0.1/profile/10229871234567890",
    }

    @property
    def routes(self):
        return {
            ("GET", f"/{self.version}/dialog/oauth"): "authorize",
            ("GET", f"/{self.version}/oauth/access_token"): "token",
            ("GET", f"/{self.version}/me"): "me",
        }

    @property
    def graph_url(self):
        return f"{self.url}/{self.version}"

    def error_payload(self, error):
        return {"error": {"message": error, "type": "OAuthException", "code": 190}}

    def token(self, query, form, headers):
        token = self.redeem(query, headers)
        return 200, {}, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}

    def me(self, query, form, headers):
        token = query.get("access_token")
        proof = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
        if token not in self.tokens or query.get("appsecret_proof") != proof:
            raise OAuthError(400, "invalid_token")
        fields = query.get("fields", "id,name").split(",")
        return 200, {}, {k: v for k, v in self.profile.items() if k in fields}


def _handler_for(provider):
    class Handler(BaseHTTPRequestHandler):
        def handle_one(self, method):
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            form = {k: v[-1] for k, v in parse_qs(body).items()}
            status, headers, payload = provider.answer(
                method, url.path, query, form, dict(self.headers)
            )
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.handle_one("GET")

        def do_POST(self):
            self.handle_one("POST")

        def log_message(self, *args):
            pass

    return Handler


def app_settings(provider_id, **settings):
    """SOCIALACCOUNT_PROVIDERS with one app for the fake's client."""
    app = {"client_id": CLIENT_ID, "secret": SECRET, "settings": settings}
    return {provider_id: {"APPS": [app]}}


def start_login(client, provider_id, **params):
    """POST the login button as the reply form does; return the authorize URL."""
    response = client.post(f"/accounts/{provider_id}/login/", params)
    assert response.status_code == 302, response.content
    return response["Location"]


def consent(authorize_url):
    """Visit the provider's authorize URL and return the callback it sends back to."""
    with requests.Session() as browser:
        browser.trust_env = False
        response = browser.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    return f"{back.path}?{back.query}"


def query_of(url):
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def loopback_only(monkeypatch):
    """Refuse any connection that would leave 127.0.0.1 for the test's duration."""
    connect = socket.socket.connect

    def guarded(sock, address):
        remote = sock.family in (socket.AF_INET, socket.AF_INET6)
        if remote and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"test tried to reach {address[0]}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def closed_port():
    """A port on 127.0.0.1 where nothing listens: a provider that is down."""
    return free_port()
