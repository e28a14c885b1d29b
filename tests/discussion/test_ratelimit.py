"""Rate limits: a flood from one address or email stops, other readers carry on."""

import datetime as dt

import pytest

from masthead.discussion import ratelimit

# The start of an hour, so every window in a test begins fresh.
HOUR = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(HOUR, tick=False)
    return lambda seconds: time_machine.move_to(HOUR + dt.timedelta(seconds=seconds), tick=False)


def attempts(n, ip="198.51.100.7", email=None):
    return [ratelimit.check_rate(ip, email) for _ in range(n)]


def test_a_burst_of_200_from_one_address_is_limited_while_another_reader_passes(clock):
    answers = attempts(200)
    limit = ratelimit.COMMENTS_PER_MINUTE_PER_IP
    assert answers[:limit] == [None] * limit
    assert set(answers[limit:]) == {ratelimit.TOO_FAST}
    assert ratelimit.check_rate("203.0.113.50", "other@example.org") is None


def test_the_limit_lifts_when_the_flood_stops(clock):
    attempts(20)
    clock(150)
    assert ratelimit.check_rate("198.51.100.7", None) is None


def test_the_window_slides_rather_than_resetting_on_the_minute(clock):
    clock(50)
    attempts(ratelimit.COMMENTS_PER_MINUTE_PER_IP)
    clock(61)
    assert ratelimit.check_rate("198.51.100.7", None) == ratelimit.TOO_FAST


def test_one_email_from_many_addresses_is_limited(clock):
    answers = [ratelimit.check_rate(f"192.0.2.{i}", "Bot@Example.org") for i in range(10)]
    assert answers.count(None) == ratelimit.COMMENTS_PER_MINUTE_PER_EMAIL
    assert answers[-1] == ratelimit.TOO_MANY_FOR_EMAIL
    assert ratelimit.check_rate("192.0.2.200", "person@example.org") is None


def test_an_address_is_limited_per_hour_even_at_a_steady_pace(clock):
    per_minute = ratelimit.COMMENTS_PER_MINUTE_PER_IP
    for minute in range(0, 2 * ratelimit.COMMENTS_PER_HOUR_PER_IP // per_minute, 2):
        clock(minute * 60)
        assert attempts(per_minute) == [None] * per_minute
    clock(30 * 60)
    assert ratelimit.check_rate("198.51.100.7", None) == ratelimit.TOO_MANY
    clock(2 * 3600)
    assert ratelimit.check_rate("198.51.100.7", None) is None


def test_one_ipv6_network_counts_as_one_reader(clock):
    answers = [ratelimit.check_rate(f"2001:db8:1:2::{i:x}", None) for i in range(1, 10)]
    assert answers[-1] == ratelimit.TOO_FAST
    assert ratelimit.check_rate("2001:db8:1:3::1", None) is None


def test_unknown_address_and_email_are_not_limited(clock):
    assert [ratelimit.check_rate(None, "") for _ in range(50)] == [None] * 50


def test_likes_are_limited_per_address(clock):
    answers = [ratelimit.check_likes("198.51.100.7") for _ in range(100)]
    assert answers.count(None) == ratelimit.LIKES_PER_MINUTE_PER_IP
    assert ratelimit.check_likes("198.51.100.8") is None
