import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from masthead.publishing import images, services
from tests.conftest import image_bytes

GPS = 0x8825
ORIENTATION = 0x0112


def upload(data: bytes, name: str = "harbour.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def refusal(file) -> str:
    with pytest.raises(ValidationError) as caught:
        images.validate_image(file)
    assert file.tell() == 0
    return caught.value.messages[0]


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header promises a gigantic image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Harbour Camera Co."
    exif[GPS] = {1: "N", 2: (59.0, 19.0, 36.0), 3: "E", 4: (18.0, 4.0, 12.0)}
    return exif


def animated_gif(frames: int = 3) -> bytes:
    buffer = io.BytesIO()
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200)][:frames]
    first, *rest = [Image.new("RGB", (120, 80), colour) for colour in colours]
    first.save(buffer, "GIF", save_all=True, append_images=rest, duration=100, loop=0)
    return buffer.getvalue()


def test_it_accepts_a_jpeg_and_rewinds_it(jpeg_upload):
    jpeg_upload.read(10)
    images.validate_image(jpeg_upload)
    assert jpeg_upload.tell() == 0


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_it_accepts_the_other_web_formats(fmt):
    images.validate_image(upload(image_bytes(fmt), f"harbour.{fmt.lower()}"))


def test_it_refuses_a_text_file_renamed_jpg():
    message = refusal(upload(b"Minutes of the harbour board meeting\n" * 40))
    assert message == "This file is not an image. Upload a JPEG, PNG, GIF or WebP image."


def test_it_refuses_image_formats_browsers_should_not_get():
    message = refusal(upload(image_bytes("TIFF"), "scan.jpg"))
    assert message == "TIFF images are not accepted. Upload a JPEG, PNG, GIF or WebP image."


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.MASTHEAD_MAX_UPLOAD_BYTES = 1024 * 1024
    message = refusal(upload(b"\xff" * (1024 * 1024 * 3 // 2)))
    assert message == "The file is 1.5 MB; the limit is 1 MB."


def test_it_refuses_a_decompression_bomb():
    message = refusal(upload(png_claiming(100_000, 100_000), "tiny.png"))
    assert message == "The image has too many pixels; the limit is 40 megapixels."


def test_it_refuses_an_image_pillow_only_warns_about(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 700_000)
    assert "too many pixels" in refusal(upload(image_bytes()))


def test_it_refuses_more_pixels_than_the_site_allows(settings):
    settings.MASTHEAD_MAX_IMAGE_PIXELS = 500_000
    message = refusal(upload(image_bytes()))
    assert message == "The image is 1,200 × 800 pixels; the limit is 0.5 megapixels."


def test_it_refuses_a_truncated_jpeg():
    data = image_bytes()
    message = refusal(upload(data[: len(data) // 2]))
    assert message == "The image is damaged or incomplete. Try exporting it again."


def test_it_removes_the_gps_position_and_keeps_the_orientation():
    data = image_bytes(exif=gps_exif(orientation=6))
    with Image.open(io.BytesIO(data)) as image:
        assert GPS in image.getexif()
    cleaned = images.clean_upload(upload(data))
    with Image.open(cleaned) as image:
        exif = image.getexif()
        assert image.format == "JPEG"
        assert GPS not in exif
        assert exif[ORIENTATION] == 6
        assert exif[0x010F] == "Harbour Camera Co."


def test_it_removes_a_gps_position_written_as_xmp():
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif='
        b'"http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="59,20.5N" '
        b'exif:GPSLongitude="18,3.1E"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(buffer, "JPEG", xmp=xmp)
    assert b"GPSLatitude" in buffer.getvalue()
    cleaned = images.clean_upload(upload(buffer.getvalue()))
    assert b"GPSLatitude" not in cleaned.read()


def test_it_stores_an_image_without_gps_byte_for_byte(jpeg_upload):
    cleaned = images.clean_upload(jpeg_upload)
    assert cleaned.read() == image_bytes()


def test_it_names_the_file_after_what_it_really_is():
    cleaned = images.clean_upload(upload(image_bytes("PNG"), "My Holiday Photo.JPG"))
    assert cleaned.name == "my-holiday-photo.png"


def test_an_animated_gif_stays_animated():
    file = upload(animated_gif(), "waves.gif")
    images.validate_image(file)
    with Image.open(images.clean_upload(file)) as image:
        assert image.n_frames == 3


@pytest.fixture
def figure_from(db):
    def make(data: bytes, name: str = "harbour.jpg"):
        return services.create_figure(image=upload(data, name), alt_text="The harbour at dawn")

    return make


def test_it_makes_webp_renditions_narrower_than_the_original(figure_from):
    figure = figure_from(image_bytes(size=(1200, 800)))
    assert [r["width"] for r in figure.renditions] == [480, 960]
    for rendition in figure.renditions:
        assert rendition["name"].startswith(figure.image.name.rsplit(".", 1)[0])
        with default_storage.open(rendition["name"]) as file, Image.open(file) as image:
            assert (image.format, image.width) == ("WEBP", rendition["width"])
            assert image.height == rendition["width"] * 2 // 3


def test_it_makes_every_rendition_for_a_large_original(figure_from):
    figure = figure_from(image_bytes(size=(2000, 1000)))
    assert [r["width"] for r in figure.renditions] == [480, 960, 1600]


def test_it_makes_no_rendition_of_a_small_image(figure_from):
    figure = figure_from(image_bytes(size=(400, 300)))
    assert figure.renditions == []
    assert images.srcset(figure) == ""


def test_renditions_follow_the_camera_orientation(figure_from):
    figure = figure_from(image_bytes(size=(1200, 800), exif=gps_exif(orientation=6)))
    assert [r["width"] for r in figure.renditions] == [480]
    with default_storage.open(figure.renditions[0]["name"]) as file, Image.open(file) as image:
        assert image.size == (480, 720)


def test_srcset_lists_renditions_then_the_original(figure_from):
    figure = figure_from(image_bytes(size=(1200, 800)))
    urls = [default_storage.url(r["name"]) for r in figure.renditions]
    assert images.srcset(figure) == (f"{urls[0]} 480w, {urls[1]} 960w, {figure.image.url} 1200w")


def test_a_rotated_phone_photo_is_sized_upright(db):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from masthead.publishing import services
    from tests.conftest import image_bytes

    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise, as phones store portrait shots
    upload = SimpleUploadedFile("portrait.jpg", image_bytes(size=(1200, 800), exif=exif))
    figure = services.create_figure(image=upload, alt_text="A portrait")
    figure.refresh_from_db()
    assert (figure.width, figure.height) == (800, 1200)
