"""The receiver's check that docs/webhooks.md gives, run against real deliveries."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from masthead.api.webhooks import services
from masthead.api.webhooks.models import Event

pytestmark = pytest.mark.django_db

DOC = Path(__file__).parents[3] / "docs" / "webhooks.md"


@pytest.fixture
def is_from_masthead():
    [example] = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    scope = {}
    exec(compile(example, str(DOC), "exec"), scope)
    return scope["is_from_masthead"]


def test_the_documented_check_accepts_a_delivery_and_refuses_a_forgery_or_a_replay(
    hook, receiver, run_worker, time_machine, is_from_masthead
):
    time_machine.move_to(timezone.now(), tick=False)
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1, "title": "Ferry"})
    run_worker()
    [(headers, body)] = receiver.raw
    signature = headers["Masthead-Signature"]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", signature)
    assert is_from_masthead(hook.secret, signature, body)
    assert not is_from_masthead("whsec_someone-else", signature, body)
    assert not is_from_masthead(hook.secret, signature, body.replace(b"Ferry", b"Ferns"))
    forged_time = re.sub(r"t=\d+", f"t={int(timezone.now().timestamp()) + 60}", signature)
    assert not is_from_masthead(hook.secret, forged_time, body)
    assert not is_from_masthead(hook.secret, "v1=abc", body)

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=4))
    assert is_from_masthead(hook.secret, signature, body)
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=2))
    assert not is_from_masthead(hook.secret, signature, body)  # replayed too late


def test_each_attempt_is_signed_at_its_own_time(hook, receiver, run_worker, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    receiver.status = 500
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1})
    run_worker()
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=10))
    receiver.status = 204
    run_worker()
    stamps = [int(h["Masthead-Signature"].split(",")[0][2:]) for h, _ in receiver.raw]
    assert len(stamps) == 2
    assert stamps[1] - stamps[0] == 600
    assert receiver.refused == []  # the retry, ten minutes on, is still fresh
