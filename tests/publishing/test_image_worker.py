"""Uploads checked and cleaned in a child process, and what a reader is told when that fails."""

import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from masthead.publishing import image_worker
from tests.conftest import image_bytes


def upload(data, name="me.png"):
    return SimpleUploadedFile(name, data, "image/png")


def test_the_child_cleans_a_picture_as_the_web_process_would():
    picture = upload(image_bytes("PNG", size=(40, 30)), "My Photo.png")

    cleaned = image_worker.check_and_clean(picture)

    assert cleaned.name == "my-photo.png"
    with Image.open(cleaned) as image:
        assert image.size == (40, 30)


def test_the_child_makes_a_small_square_of_the_picture_s_middle():
    wide = Image.new("RGB", (300, 100), (0, 0, 255))
    wide.paste((255, 0, 0), (100, 0, 200, 100))  # red in the middle third, blue beside
    buffer = io.BytesIO()
    wide.save(buffer, "PNG")

    square = image_worker.check_and_clean(upload(buffer.getvalue()), square=48)

    with Image.open(square) as image:
        assert (image.format, image.size) == ("WEBP", (48, 48))
        assert image.getpixel((2, 24))[:3] == pytest.approx((255, 0, 0), abs=12)
        assert image.getpixel((45, 24))[:3] == pytest.approx((255, 0, 0), abs=12)


def test_the_childs_refusal_reaches_the_reader_word_for_word():
    with pytest.raises(ValidationError) as refused:
        image_worker.check_and_clean(upload(b"<?php echo 1; ?>"))

    assert refused.value.code == "not_an_image"
    assert "This file is not an image." in refused.value.messages[0]


def test_a_child_that_hangs_is_killed_at_the_limit(monkeypatch, settings):
    settings.MASTHEAD_IMAGE_TIME_LIMIT = 0.5
    monkeypatch.setattr(
        image_worker, "command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"]
    )

    with pytest.raises(ValidationError) as refused:
        image_worker.check_and_clean(upload(image_bytes()))

    assert refused.value.code == "image_too_slow"


def test_a_child_that_dies_gives_a_clear_message_not_a_server_error(monkeypatch):
    dies = [sys.executable, "-c", "import os; os.abort()"]
    monkeypatch.setattr(image_worker, "command", lambda: dies)

    with pytest.raises(ValidationError) as refused:
        image_worker.check_and_clean(upload(image_bytes()))

    assert "could not be processed" in refused.value.messages[0]
