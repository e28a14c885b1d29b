"""Akismet, when a key is set: asked through a stand-in server on 127.0.0.1, never the real one."""

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from masthead.discussion import akismet, services
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy
from tests.ports import free_port

REPLY = "The ferry was late again this morning and the bus had already gone."


class StandIn(ThreadingHTTPServer):
    """Answers comment-check with ``answer`` after ``delay`` seconds and keeps what it was sent."""

    answer = "false"
    delay = 0.0

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting is part of the test


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.requests.append((self.path, {k: v[0] for k, v in parse_qs(body).items()}))
        time.sleep(self.server.delay)
        answer = self.server.answer.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.MASTHEAD_AKISMET_URL = f"http://127.0.0.1:{server.server_port}/1.1"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def config(db):
    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_NONE
    config.akismet_key = "test-key"
    config.save()
    return config


@pytest.fixture
def submit(make_post, config):
    post = make_post()

    def submit(body=REPLY):
        sub = services.Submission(
            target=post,
            body=body,
            author_name="Nils Berg",
            author_email="nils@example.org",
            ip_address="198.51.100.7",
            user_agent="Mozilla/5.0",
            form_age=10,
        )
        return services.submit_comment(sub)

    return submit


def test_akismet_saying_spam_marks_the_comment_spam_and_keeps_it(server, submit):
    server.answer = "true"
    comment = submit()
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM
    assert comment.moderation_note == "Akismet: spam"


def test_akismet_saying_ham_leaves_the_decision_to_the_policy(server, submit):
    assert submit().status == CommentStatus.APPROVED


def test_akismet_is_sent_the_comment_and_the_key(server, submit, settings):
    comment = submit()
    [(path, sent)] = server.requests
    assert path == "/1.1/comment-check"
    assert sent["api_key"] == "test-key"
    assert sent["blog"] == settings.SITE_URL
    assert sent["user_ip"] == "198.51.100.7"
    assert sent["comment_content"] == REPLY
    assert sent["comment_author_email"] == "nils@example.org"
    assert sent["comment_type"] == "comment"
    assert sent["permalink"].endswith(comment.post.get_absolute_url())


def test_nothing_is_sent_without_a_key(server, submit, config):
    config.akismet_key = ""
    config.save()
    submit()
    assert server.requests == []


def test_a_comment_the_local_rules_call_spam_is_not_sent(server, submit):
    submit(
        "Check out my channel and subscribe!!! http://www.youtube.com/user/cheap"
        " and http://www.youtube.com/user/cheaper"
    )
    assert server.requests == []


def test_akismet_down_still_stores_the_comment(settings, submit, caplog):
    settings.MASTHEAD_AKISMET_URL = f"http://127.0.0.1:{free_port()}/1.1"
    with caplog.at_level(logging.WARNING, logger="masthead.discussion.akismet"):
        comment = submit()
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    assert "Akismet not reached" in caplog.text


def test_a_slow_akismet_is_given_up_on(server, submit, monkeypatch):
    monkeypatch.setattr(akismet, "TIMEOUT_SECONDS", 0.2)
    server.answer, server.delay = "true", 1.0
    started = time.monotonic()
    comment = submit()
    assert time.monotonic() - started < 1.0
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED


def test_an_unexpected_answer_is_logged_and_ignored(server, submit, caplog):
    server.answer = "invalid"
    with caplog.at_level(logging.WARNING, logger="masthead.discussion.akismet"):
        assert submit().status == CommentStatus.APPROVED
    assert "invalid" in caplog.text


def test_a_moderators_decision_is_passed_on_to_akismet(
    server, submit, admin_user, immediate_tasks, on_commit
):
    comment = submit()
    server.requests.clear()
    with on_commit():
        services.mark_spam(comment, by=admin_user)
    with on_commit():
        services.approve_comment(comment, by=admin_user)
    assert [path for path, _ in server.requests] == ["/1.1/submit-spam", "/1.1/submit-ham"]
    assert server.requests[0][1]["comment_content"] == REPLY
