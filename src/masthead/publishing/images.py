"""Checking uploaded images and making their responsive renditions."""

import io
import math
import posixpath
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.JpegImagePlugin import get_sampling

# What Pillow may report for the formats we accept, and what we save them as.
# Phone cameras write MPO, a JPEG with extra pictures appended.
SAVE_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}
OPEN_AS = ("JPEG", "PNG", "GIF", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
ACCEPTED = "Upload a JPEG, PNG, GIF or WebP image."
GPS_IFD = 0x8825
RENDITION_QUALITY = 80


def _megabytes(size: int, *, round_up: bool = False) -> str:
    value = size / 2**20
    if round_up:
        return f"{math.ceil(value * 10) / 10:.1f}"
    return f"{round(value, 1):g}"


def check_size(upload) -> None:
    limit = settings.MASTHEAD_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {_megabytes(upload.size, round_up=True)} MB; "
            f"the limit is {_megabytes(limit)} MB.",
            code="file_too_large",
        )


def _too_many_pixels(size: tuple[int, int] | None = None) -> ValidationError:
    limit = f"{settings.MASTHEAD_MAX_IMAGE_PIXELS / 1e6:g} megapixels"
    if size is None:
        message = f"The image has too many pixels; the limit is {limit}."
    else:
        message = f"The image is {size[0]:,} × {size[1]:,} pixels; the limit is {limit}."
    return ValidationError(message, code="too_many_pixels")


def _unsupported(upload) -> ValidationError:
    """Name the format when Pillow knows it, so the editor knows what to convert."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            found = image.format
    except Exception:
        return ValidationError(f"This file is not an image. {ACCEPTED}", code="not_an_image")
    return ValidationError(f"{found} images are not accepted. {ACCEPTED}", code="image_format")


def _frames(image: Image.Image) -> int:
    """Frames a re-encode would decode; a phone's MPO is saved as its first picture only."""
    return 1 if image.format == "MPO" else getattr(image, "n_frames", 1)


def _decode(upload) -> None:
    """Read the whole image: headers first, then every pixel, so damage shows now.

    An animation counts every frame against the pixel budget: removing its
    location means decoding and encoding them all.
    """
    with Image.open(upload, formats=OPEN_AS) as image:
        if image.width * image.height > settings.MASTHEAD_MAX_IMAGE_PIXELS:
            raise _too_many_pixels(image.size)
        frames = _frames(image)
        if image.width * image.height * frames > settings.MASTHEAD_MAX_IMAGE_PIXELS:
            raise ValidationError(
                f"The animation has {frames} frames of {image.width:,} × {image.height:,} "
                f"pixels; the limit is {settings.MASTHEAD_MAX_IMAGE_PIXELS / 1e6:g} "
                "megapixels in all.",
                code="too_many_pixels",
            )
        image.verify()
    upload.seek(0)
    with Image.open(upload, formats=OPEN_AS) as image:
        image.load()


def validate_image(upload) -> None:
    """Refuse anything that is not a sound JPEG, PNG, GIF or WebP of a sane size."""
    check_size(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _decode(upload)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _unsupported(upload) from None
    except Exception:
        raise ValidationError(
            "The image is damaged or incomplete. Try exporting it again.", code="damaged_image"
        ) from None
    finally:
        upload.seek(0)


def _tidy_name(name: str, fmt: str) -> str:
    stem = posixpath.splitext(posixpath.basename((name or "").replace("\\", "/")))[0]
    return f"{slugify(stem)[:60] or 'image'}.{EXTENSIONS[fmt]}"


def _encoder_options(image: Image.Image, fmt: str) -> dict:
    """Settings that keep a re-encoded copy as close to the upload as the format allows."""
    if fmt == "JPEG":
        # The source's own tables and subsampling; "keep" refuses phone MPO files.
        return {
            "qtables": image.quantization,
            "subsampling": get_sampling(image),
            "progressive": bool(image.info.get("progressive")),
        }
    options = {"save_all": getattr(image, "is_animated", False)}
    return {**options, "quality": 90} if fmt == "WEBP" else options


def _reencode(image: Image.Image, exif: Image.Exif, fmt: str) -> bytes:
    options = {**_encoder_options(image, fmt), "exif": exif}
    options["icc_profile"] = image.info.get("icc_profile")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _first_frame(image: Image.Image, exif: Image.Exif, fmt: str) -> bytes:
    image.seek(0)
    frame = image.convert("RGBA")
    buffer = io.BytesIO()
    options = {"quality": 90} if fmt == "WEBP" else {}
    frame.save(buffer, fmt, exif=exif, icc_profile=image.info.get("icc_profile"), **options)
    return buffer.getvalue()


def _has_position(image: Image.Image, exif: Image.Exif) -> bool:
    """A GPS position in EXIF, or in XMP (which phones and editors also write)."""
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode()
    return GPS_IFD in exif or b"GPSLatitude" in xmp or b"GPSLongitude" in xmp


def clean_upload(upload, *, still: bool = False) -> File:
    """The upload under a tidy name, without its GPS position.

    Only a file that carries a position is re-encoded (which also drops its
    XMP); everything else, including animated GIFs, is stored byte for byte.
    ``still`` keeps only an animation's first frame (avatars: one small picture,
    and one frame to encode however many the upload has).
    """
    upload.seek(0)
    with Image.open(upload, formats=OPEN_AS) as image:
        fmt = SAVE_AS[image.format]
        name = _tidy_name(upload.name, fmt)
        exif = image.getexif()
        if still and _frames(image) > 1:
            exif.pop(GPS_IFD, None)
            return ContentFile(_first_frame(image, exif, fmt), name=name)
        if not _has_position(image, exif):
            upload.seek(0)
            return File(upload, name=name)
        exif.pop(GPS_IFD, None)
        return ContentFile(_reencode(image, exif, fmt), name=name)


def square_copy(upload, side: int) -> ContentFile:
    """The first frame, upright, cropped to its centre and shrunk to ``side`` pixels
    square, as WebP: a small picture (an avatar) with none of the upload's metadata."""
    upload.seek(0)
    with Image.open(upload, formats=OPEN_AS) as image:
        image.seek(0)
        upright = _for_webp(ImageOps.exif_transpose(image))
    square = ImageOps.fit(upright, (side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    square.save(buffer, "WEBP", quality=RENDITION_QUALITY)
    return ContentFile(buffer.getvalue(), name=_tidy_name(upload.name, "WEBP"))


def _for_webp(image: Image.Image) -> Image.Image:
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _save_rendition(image: Image.Image, stem: str, width: int, icc: bytes | None) -> dict:
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    resized.save(buffer, "WEBP", quality=RENDITION_QUALITY, icc_profile=icc)
    name = default_storage.save(f"{stem}-{width}.webp", ContentFile(buffer.getvalue()))
    return {"width": width, "name": name}


def make_renditions(figure) -> list[dict]:
    """WebP copies at each configured width narrower than the original, smallest first.

    Also records the upright size on ``figure``: browsers honour EXIF orientation,
    so a rotated phone photo's width and height are swapped from its raw pixels.
    """
    stem = posixpath.splitext(figure.image.name)[0]
    with default_storage.open(figure.image.name, "rb") as source, Image.open(source) as original:
        # An ICC profile only carries over when the colour model does.
        icc = original.info.get("icc_profile") if original.mode in ("RGB", "RGBA") else None
        image = _for_webp(ImageOps.exif_transpose(original))
    figure.width, figure.height = image.size
    widths = sorted(w for w in settings.MASTHEAD_RENDITION_WIDTHS if w < image.width)
    return [_save_rendition(image, stem, width, icc) for width in widths]


def srcset(figure) -> str:
    """A srcset listing the renditions, then the original at its own width."""
    if not figure.renditions:
        return ""
    candidates = [f"{default_storage.url(r['name'])} {r['width']}w" for r in figure.renditions]
    candidates.append(f"{figure.image.url} {figure.width}w")
    return ", ".join(candidates)
