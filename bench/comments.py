"""Guest comment POSTs, sustained, and whether every acknowledged one was kept.

Each client connection is bound to its own 127.x.y.z source address and each
request carries its own email, no address used more than four times, so the
per-address and per-email limits (5 a minute) never bite: the run measures how
fast comments are stored, not how fast they are turned away. Several processes
send, so the Python client is not what limits the rate.
"""

import contextlib
import http.client
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

PROCESSES = 4
THREADS = 8
PER_ADDRESS = 4
# A bound on each sender whatever the rate; its addresses last for 65,024 connections.
MAX_PER_SENDER = 20_000
PATH = "/comments/post/"


@dataclass(frozen=True)
class Target:
    port: int
    origin: str
    post_id: int
    form_token: str
    deadline: float
    # Second octet of the first sender's addresses; a warm-up uses other ones.
    octet: int = 32


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0: no HTTP reply (refused, reset, timed out)
    body: str
    comment_id: int | None = None


@dataclass
class Outcome:
    rate: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    statuses: Counter = field(default_factory=Counter)
    report: list[str] = field(default_factory=list)


def run(
    port: int, origin: str, post_id: int, form_token: str, seconds: int, octet: int = 32
) -> list[Sample]:
    target = Target(port, origin, post_id, form_token, time.time() + seconds, octet)
    with ProcessPoolExecutor(PROCESSES) as pool:
        jobs = [pool.submit(_process, target, p) for p in range(PROCESSES)]
        return [sample for job in jobs for sample in job.result(timeout=seconds + 120)]


def _process(target: Target, index: int) -> list[Sample]:
    with ThreadPoolExecutor(THREADS) as threads:
        jobs = [threads.submit(_sender, target, index * THREADS + t) for t in range(THREADS)]
        return [sample for job in jobs for sample in job.result()]


def _sender(target: Target, unit: int) -> list[Sample]:
    samples, connection, opened, uses = [], None, 0, 0
    while len(samples) < MAX_PER_SENDER and time.time() < target.deadline:
        if connection is None or uses == PER_ADDRESS:
            if connection is not None:
                connection.close()
            address = (_address(target.octet + unit, opened), 0)
            connection = http.client.HTTPConnection(
                "127.0.0.1", target.port, timeout=30, source_address=address
            )
            opened, uses = opened + 1, 0
        uses += 1
        sample = _post(connection, target)
        samples.append(sample)
        if sample.status == 0:
            connection.close()
            connection = None
    if connection is not None:
        connection.close()
    return samples


def _address(octet: int, k: int) -> str:
    """The k-th loopback address of one sender: 127.<octet>.<k / 254>.<1..254>."""
    return f"127.{octet}.{k // 254}.{k % 254 + 1}"


def _post(connection: http.client.HTTPConnection, target: Target) -> Sample:
    marker = uuid.uuid4().hex
    body = f"Bench comment {marker} about the harbour timetable"
    form = {
        "comment": body,
        "author": f"Bench reader {marker[:8]}",
        "email": f"bench-{marker}@example.org",
        "url": "",
        "comment_post_ID": target.post_id,
        "comment_parent": "",
        "form_token": target.form_token,
        "contact_me_by_fax": "",
    }
    headers = {
        "Origin": target.origin,
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    started, clock = time.time(), time.perf_counter()
    try:
        connection.request("POST", PATH, urlencode(form), headers)
        reply = connection.getresponse()
        data, status = reply.read(), reply.status
    except (OSError, http.client.HTTPException):
        data, status = b"", 0
    sample = Sample(started, time.perf_counter() - clock, status, body)
    if 200 <= status < 300:
        with contextlib.suppress(ValueError):
            sample.comment_id = json.loads(data).get("id")
    return sample


def summarise(samples: list[Sample], warm_up: list[Sample], stored: list[list]) -> Outcome:
    """Rate and latency of the run, then acknowledged against stored, body by body."""
    outcome = Outcome(statuses=Counter(s.status for s in samples))
    if not samples:
        return outcome
    span = max(s.started + s.seconds for s in samples) - min(s.started for s in samples)
    outcome.rate = len(samples) / span if span > 0 else 0.0
    latencies = sorted(s.seconds * 1000 for s in samples)
    outcome.p50_ms = latencies[len(latencies) // 2]
    outcome.p99_ms = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]

    sent = warm_up + samples
    acknowledged = {s.body: s.comment_id for s in sent if 200 <= s.status < 400}
    copies = Counter(body for _, body, _ in stored)
    kept = [body for body in acknowledged if copies[body]]
    by_id = {pk: body for pk, body, _ in stored}
    wrong_ids = sum(
        1 for body, pk in acknowledged.items() if pk is not None and by_id.get(pk) != body
    )
    unacknowledged = sum(1 for body in copies if body not in acknowledged)
    replies = sorted(Counter(s.status for s in sent).items())
    kinds = sorted(Counter(status for *_, status in stored).items())
    outcome.report = [
        f"comments acknowledged {len(acknowledged)}, stored {len(kept)}, "
        f"lost {len(acknowledged) - len(kept)}, "
        f"duplicated {sum(1 for n in copies.values() if n > 1)} "
        f"(warm-up included: {len(warm_up)} sent)",
        "replies: " + ", ".join(f"{_status_name(k)} x{n}" for k, n in replies),
        "stored as: " + ", ".join(f"{k} x{n}" for k, n in kinds),
    ]
    if wrong_ids:
        outcome.report.append(f"acknowledged ids not holding their body: {wrong_ids}")
    if unacknowledged:
        outcome.report.append(f"stored without an acknowledgement: {unacknowledged}")
    return outcome


def stored_comments(env: dict, post_id: int) -> list[list]:
    helper = Path(__file__).with_name("stored_comments.py")
    done = subprocess.run(
        [sys.executable, str(helper), str(post_id)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


def _status_name(status: int) -> str:
    return "no reply" if status == 0 else str(status)
