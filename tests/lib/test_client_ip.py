"""The reader's address behind proxies: believed only from proxies we trust."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.discussion.forms import issue_form_token
from masthead.discussion.models import Comment
from masthead.lib.client_ip import client_address, parse_trusted_proxies

NGINX = "127.0.0.1"
BALANCER = "10.0.8.4"
READER = "198.51.100.7"
TRUSTED = parse_trusted_proxies("127.0.0.1/32, 10.0.8.0/24, 2001:db8:ffff::/48")


def seen(peer, trusted=TRUSTED, **headers):
    names = {"xff": "X-Forwarded-For", "forwarded": "Forwarded"}
    return client_address(peer, {names[k]: v for k, v in headers.items()}, trusted)


def test_with_no_trusted_proxies_any_forwarding_header_is_ignored():
    assert seen(NGINX, trusted=(), xff="203.0.113.1") == NGINX
    assert seen(NGINX, trusted=(), forwarded="for=203.0.113.1") == NGINX


def test_an_untrusted_peer_cannot_name_another_address():
    assert seen(READER, xff="203.0.113.1") == READER
    assert seen(READER, forwarded="for=203.0.113.1") == READER


def test_a_trusted_proxy_names_the_reader():
    assert seen(NGINX, xff=READER) == READER
    assert seen(NGINX, forwarded=f"for={READER};proto=https") == READER


def test_a_spoofed_left_part_of_the_chain_changes_nothing():
    assert seen(NGINX, xff=f"192.0.2.66, 10.0.8.99, {READER}") == READER
    assert seen(NGINX, xff=f"not an address, {READER}") == READER
    assert seen(NGINX, forwarded=f'for="[::1, for=192.0.2.66, for={READER}') == READER


def test_two_trusted_proxies_in_a_row_are_passed_over():
    assert seen(NGINX, xff=f"192.0.2.66, {READER}, {BALANCER}") == READER
    assert seen(NGINX, forwarded=f"for={READER}, for={BALANCER};by=10.0.8.1") == READER


def test_a_chain_of_only_trusted_proxies_gives_the_farthest():
    assert seen(NGINX, xff=f"10.0.8.9, {BALANCER}") == "10.0.8.9"


def test_x_forwarded_for_is_preferred_to_a_forwarded_header_the_client_wrote():
    assert seen(NGINX, xff=READER, forwarded="for=203.0.113.1") == READER
    assert seen(NGINX, forwarded=f"for={READER}") == READER


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('for="[2001:db8::1]:4711"', "2001:db8::1"),
        ('For="[2001:db8::1]"', "2001:db8::1"),
        (f'for="{READER}:8080"', READER),
        ('for="[::ffff:203.0.113.9]"', "203.0.113.9"),
        (f'for={READER}, for="[2001:db8:ffff::2]:443"', READER),
    ],
)
def test_forwarded_addresses_with_brackets_ports_and_quotes(header, expected):
    assert seen(NGINX, forwarded=header) == expected


def test_bare_ipv6_and_ipv4_with_port_in_x_forwarded_for():
    assert seen(NGINX, xff="2001:db8::7") == "2001:db8::7"
    assert seen(NGINX, xff=f"{READER}:51234") == READER


def test_ipv6_proxies_and_ipv4_mapped_peers_are_recognised():
    assert seen("2001:db8:ffff::1", xff=READER) == READER
    assert seen("::ffff:127.0.0.1", xff=READER) == READER
    assert seen("::ffff:198.51.100.200", xff="203.0.113.1") == "::ffff:198.51.100.200"


@pytest.mark.parametrize("hidden", ["unknown", "_hidden", '"_SEVKISEK"'])
def test_a_hidden_hop_ends_the_chain_at_the_nearest_known_address(hidden):
    assert seen(NGINX, forwarded=f"for={hidden}") == NGINX
    assert seen(NGINX, forwarded=f"for=192.0.2.66, for={hidden}, for={BALANCER}") == BALANCER


@pytest.mark.parametrize(
    "headers",
    [
        {"xff": "garbage"},
        {"xff": f"{READER},"},
        {"forwarded": "for"},
        {"forwarded": "for=[2001:db8::1"},
        {"forwarded": 'for="[2001:db8::1]:port"'},
        {"forwarded": "for=300.1.1.1"},
    ],
)
def test_a_garbled_header_falls_back_to_the_peer(headers):
    assert seen(NGINX, **headers) == NGINX


def test_a_peer_that_is_no_ip_address_is_kept():
    assert seen("", xff=READER) == ""


def test_the_setting_takes_addresses_and_networks_and_refuses_typos():
    assert [str(n) for n in parse_trusted_proxies(" 127.0.0.1, ::1,10.0.0.0/8,")] == [
        "127.0.0.1/32",
        "::1/128",
        "10.0.0.0/8",
    ]
    assert parse_trusted_proxies("") == ()
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.0/33"):
        parse_trusted_proxies("127.0.0.1, 10.0.0.0/33")


# Through the whole stack: the comment rate limit counts readers, not the proxy.


@pytest.fixture
def comment_from(client, make_post, time_machine):
    """Post a guest comment as the test client would, from ``peer`` with extra headers."""
    time_machine.move_to(dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC), tick=False)
    post = make_post()
    token = issue_form_token(f"post:{post.pk}")
    time_machine.shift(60)  # the form was loaded a minute ago, as a person would
    sent = iter(range(1, 1000))

    def send(peer, **headers):
        n = next(sent)
        data = {
            "comment": f"Note {n} on the evening ferry timetable.",
            "author": "Nadia",
            "email": f"reader{n}@example.org",  # so only the address limit applies
            "url": "",
            "comment_post_ID": post.pk,
            "comment_parent": "",
            "form_token": token,
        }
        return client.post(
            "/comments/post/", data, REMOTE_ADDR=peer, HTTP_ORIGIN="http://testserver", **headers
        )

    return send


def test_readers_behind_a_trusted_proxy_are_limited_one_by_one(settings, comment_from):
    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1/32")
    codes = [comment_from(NGINX, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    assert comment_from(NGINX, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


def test_an_untrusted_proxy_cannot_spoof_its_way_past_the_limit(settings, comment_from):
    settings.MASTHEAD_TRUSTED_PROXIES = ()
    codes = [
        comment_from(NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(1, 8)
    ]
    assert codes == [302] * 5 + [429] * 2


def test_the_comment_keeps_the_readers_address_and_the_request_the_proxys(settings, comment_from):
    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1/32")
    response = comment_from(NGINX, HTTP_FORWARDED='for="[2001:db8::5]:4711"')
    assert Comment.objects.get().ip_address == "2001:db8::5"
    assert response.wsgi_request.META["MASTHEAD_PEER_ADDR"] == NGINX


def test_only_a_trusted_proxy_may_say_the_request_came_over_https(settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from masthead.lib.client_ip import TrustedProxyMiddleware

    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.2")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen_secure = {}
    for peer in ("10.0.0.2", "198.51.100.4"):
        request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
        TrustedProxyMiddleware(lambda r: HttpResponse())(request)
        seen_secure[peer] = request.is_secure()
    assert seen_secure == {"10.0.0.2": True, "198.51.100.4": False}
