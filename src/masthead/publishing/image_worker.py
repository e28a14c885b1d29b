"""Checking and cleaning an upload in a child process that is killed at a time limit.

Decoding and re-encoding are what a hostile file makes slow (a few kilobytes of
WebP can hold 40 megapixels of work), so a reader's upload is handled by
``python -m masthead.publishing.image_worker``: the web worker waits at most
``MASTHEAD_IMAGE_TIME_LIMIT`` seconds, and the child dies then however far it got.

The child reads the upload on stdin and answers on stdout with one JSON line,
followed on success by the cleaned file's bytes.
"""

import json
import logging
import math
import resource
import subprocess
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from masthead.publishing.images import check_size, clean_upload, square_copy, validate_image

log = logging.getLogger(__name__)

TOO_SLOW = (
    "This picture took too long to process. Try a smaller or simpler one: "
    "a photo straight from a phone or camera works."
)
FAILED = "This picture could not be processed. Try exporting it again as a JPEG or PNG."


def command() -> list[str]:
    return [sys.executable, "-m", __name__]


def check_and_clean(upload, *, still: bool = False, square: int | None = None) -> ContentFile:
    """``validate_image`` then ``clean_upload`` on ``upload``, done in the child;
    with ``square``, ``square_copy`` at that size instead of ``clean_upload``."""
    check_size(upload)
    limit = settings.MASTHEAD_IMAGE_TIME_LIMIT
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    job = {
        "name": upload.name or "",
        "still": still,
        "square": square,
        "max_pixels": settings.MASTHEAD_MAX_IMAGE_PIXELS,
        "max_bytes": settings.MASTHEAD_MAX_UPLOAD_BYTES,
        "cpu_seconds": math.ceil(limit) + 1,
    }
    try:
        done = subprocess.run(
            [*command(), json.dumps(job)], input=data, capture_output=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        log.warning("Gave up on an uploaded image after %ss.", limit)
        raise ValidationError(TOO_SLOW, code="image_too_slow") from None
    head, _, body = done.stdout.partition(b"\n")
    try:
        answer = json.loads(head)
    except ValueError:
        log.warning("The image worker exited %s: %s", done.returncode, done.stderr[-2000:])
        raise ValidationError(FAILED, code="image_failed") from None
    if "error" in answer:
        raise ValidationError(answer["error"], code=answer["code"])
    return ContentFile(body, name=answer["name"])


def _work(job: dict, data: bytes) -> tuple[dict, bytes]:
    upload = ContentFile(data, name=job["name"])
    try:
        validate_image(upload)
        if job.get("square"):
            cleaned = square_copy(upload, job["square"])
        else:
            cleaned = clean_upload(upload, still=job["still"])
    except ValidationError as exc:
        return {"error": exc.messages[0], "code": exc.code}, b""
    cleaned.seek(0)
    return {"name": cleaned.name}, cleaned.read()


def main() -> None:
    job = json.loads(sys.argv[1])
    # A backstop should the web worker die before it can kill this process.
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = job["cpu_seconds"] if hard == resource.RLIM_INFINITY else min(job["cpu_seconds"], hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    settings.configure(
        MASTHEAD_MAX_IMAGE_PIXELS=job["max_pixels"], MASTHEAD_MAX_UPLOAD_BYTES=job["max_bytes"]
    )
    answer, body = _work(job, sys.stdin.buffer.read())
    sys.stdout.buffer.write(json.dumps(answer).encode() + b"\n" + body)


if __name__ == "__main__":
    main()
