"""A Fediverse inbox on loopback that answers with the statuses it is given, in turn."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class InboxReceiver:
    """Answers each POST with the next of ``statuses`` (the last one repeats) and keeps
    what it was sent."""

    def __init__(self):
        self.statuses = [202]
        self.bodies = {500: b"Internal error: the queue is full"}
        self.received = []  # (path, headers, body)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def inbox(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/inbox"

    def answer(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, dict(self.headers), body))
                status = receiver.answer()
                data = receiver.bodies.get(status, b"")
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> "InboxReceiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
