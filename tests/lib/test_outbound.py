import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from masthead.lib import outbound


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append((self.path, self.headers.get("Host"), self.rfile.read(length)))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = b"x" * 5000 if self.path == "/big" else b"thanks"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/hook",
    ],
)
def test_it_refuses_the_sites_own_network(url, settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(outbound.Refused, match="loopback or private"):
        outbound.request("POST", url, body=b"{}")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "http://user:pw@example.org/", "http:///x"]
)
def test_it_refuses_what_is_not_a_plain_web_address(url):
    with pytest.raises(outbound.Refused):
        outbound.check_url(url, allow_private=True)


def test_it_refuses_a_name_that_does_not_resolve():
    with pytest.raises(outbound.Refused, match="could not be resolved"):
        outbound.check_url("http://no-such-host.invalid/", allow_private=True)


def test_a_site_that_allows_private_addresses_reaches_them(receiver, settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True
    port = receiver.server_address[1]
    answer = outbound.request("POST", f"http://localhost:{port}/hook?x=1", body=b'{"a": 1}')
    assert (answer.status, answer.body, answer.ok) == (200, b"thanks", True)
    assert receiver.received == [("/hook?x=1", f"localhost:{port}", b'{"a": 1}')]


def test_a_redirect_is_reported_not_followed(receiver):
    port = receiver.server_address[1]
    answer = outbound.request("POST", f"http://127.0.0.1:{port}/moved", allow_private=True)
    assert answer.status == 302
    assert [path for path, _, _ in receiver.received] == ["/moved"]


def test_an_answer_over_the_limit_is_refused(receiver):
    port = receiver.server_address[1]
    url = f"http://127.0.0.1:{port}/big"
    with pytest.raises(outbound.Refused, match="larger than 1000 bytes"):
        outbound.request("POST", url, max_bytes=1000, allow_private=True)
    assert len(outbound.request("POST", url, max_bytes=5000, allow_private=True).body) == 5000


def test_a_closed_port_is_refused_with_a_reason():
    from tests.ports import free_port

    with pytest.raises(outbound.Refused, match="could not be reached"):
        outbound.request("POST", f"http://127.0.0.1:{free_port()}/", allow_private=True)
