"""The demo's one picture, drawn at load time so no binary sits in the repository."""

import io

from PIL import Image, ImageDraw, ImageFont

# Passengers per year on the harbour route, in thousands, oldest first.
RIDERSHIP = [412, 436, 471, 520, 298, 455, 611, 742, 853, 968]

WIDTH, HEIGHT = 1600, 900
PAPER = (250, 248, 243)
INK = (33, 37, 41)
MUTED = (110, 115, 120)
GRID = (222, 219, 210)
BAR = (54, 92, 125)
HIGHLIGHT = (201, 96, 48)


def _font(size: int):
    return ImageFont.load_default(size=size)


def ferry_ridership_png(last_year: int) -> bytes:
    """A bar chart of ten years of ferry passengers ending with ``last_year``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 150, WIDTH - 80, 210, HEIGHT - 130

    draw.text((80, 56), "Harbour ferry passengers per year", font=_font(48), fill=INK)
    draw.text(
        (80, 122),
        "Thousands of journeys on the Marrowick harbour route",
        font=_font(28),
        fill=MUTED,
    )

    scale_max = 1000
    for value in range(0, scale_max + 1, 200):
        y = bottom - (bottom - top) * value / scale_max
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        draw.text((left - 20, y), f"{value:,}", font=_font(24), fill=MUTED, anchor="rm")

    slot = (right - left) / len(RIDERSHIP)
    first_year = last_year - len(RIDERSHIP) + 1
    for i, value in enumerate(RIDERSHIP):
        x0 = left + i * slot + slot * 0.18
        x1 = left + (i + 1) * slot - slot * 0.18
        y = bottom - (bottom - top) * value / scale_max
        colour = HIGHLIGHT if i == len(RIDERSHIP) - 1 else BAR
        draw.rectangle([(x0, y), (x1, bottom)], fill=colour)
        centre = (x0 + x1) / 2
        draw.text((centre, y - 12), str(value), font=_font(26), fill=INK, anchor="md")
        draw.text((centre, bottom + 18), str(first_year + i), font=_font(26), fill=INK, anchor="mt")

    draw.line([(left, bottom), (right, bottom)], fill=INK, width=3)
    draw.text((left - 20, bottom + 20), "Year", font=_font(24), fill=MUTED, anchor="rt")
    draw.text(
        (right, HEIGHT - 50),
        "Source: Marrowick Harbour Authority (fictional demo data)",
        font=_font(24),
        fill=MUTED,
        anchor="rs",
    )

    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()
