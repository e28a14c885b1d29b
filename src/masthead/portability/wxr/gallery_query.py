"""Which images a ``[gallery]`` shortcode shows, and in what order, as WordPress picks them.

WordPress documents the shortcode this way: ``ids`` names the images and keeps
the order given; ``include`` names them too, but sorted; without either the
gallery shows the images attached to the post (``id`` names another post),
less those in ``exclude``. Sorting is by ``orderby`` ("menu_order ID" unless
said otherwise; keys apart by spaces, each in the ``order`` ASC or DESC). A
random order cannot be kept, so a random gallery keeps the order of the file.
"""

from dataclasses import dataclass

from masthead.portability.models import ImportedMedia

DEFAULT_ORDER = ("menu_order", "id")
_KEYS = {
    "menu_order": "menu_order",
    "id": "id",
    "title": "title",
    "post_title": "title",
    "date": "date",
    "post_date": "date",
}
_AS_GIVEN = {"post__in", "rand", "none"}


@dataclass(frozen=True)
class GalleryQuery:
    ids: tuple[str, ...] | None  # the images named; None: those attached to the post
    post: str = ""  # another post's WordPress id, whose attached images are shown
    exclude: frozenset[str] = frozenset()
    orderby: tuple[str, ...] = DEFAULT_ORDER  # (): the order given, or the file's
    descending: bool = False

    def arrange(self, wp_ids: list[str], media: dict[str, ImportedMedia]) -> list[str]:
        """The images of ``wp_ids`` (named, or attached in file order) as the gallery shows them."""
        if self.ids is None:
            wp_ids = [wp_id for wp_id in wp_ids if wp_id not in self.exclude]
        if not self.orderby:
            return wp_ids
        known = [wp_id for wp_id in wp_ids if wp_id in media]
        known.sort(key=lambda wp_id: self._key(wp_id, media[wp_id]), reverse=self.descending)
        # An image not in the file cannot be sorted; it is named in the report, not shown.
        return known + [wp_id for wp_id in wp_ids if wp_id not in media]

    def _key(self, wp_id: str, media: ImportedMedia) -> tuple:
        values = {
            "menu_order": lambda: media.menu_order,
            "id": lambda: int(wp_id) if wp_id.isdigit() else 0,
            "title": lambda: media.title.casefold(),
            "date": lambda: (media.posted_at is not None, media.posted_at),
        }
        return tuple(values[key]() for key in self.orderby)


def _ids(value: str) -> tuple[str, ...]:
    return tuple(wp_id.strip() for wp_id in value.split(",") if wp_id.strip())


def from_shortcode(attrs: dict[str, str]) -> GalleryQuery:
    ids = _ids(attrs.get("ids", ""))
    include = _ids(attrs.get("include", ""))
    order = attrs.get("order", "").strip().upper()
    asked = attrs.get("orderby", "").lower().replace(",", " ").split()
    if order == "RAND" or any(key in _AS_GIVEN for key in asked):
        orderby = ()
    else:
        orderby = tuple(_KEYS[key] for key in asked if key in _KEYS)
        # Named images keep their order unless a sort is asked for; others sort by default.
        orderby = orderby or (() if ids else DEFAULT_ORDER)
    post = attrs.get("id", "").strip()
    return GalleryQuery(
        ids=ids or include or None,
        post=post if post.isdigit() else "",
        exclude=frozenset(_ids(attrs.get("exclude", ""))),
        orderby=orderby,
        descending=order == "DESC",
    )
