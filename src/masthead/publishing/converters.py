"""Path converters for dated permalinks, registered on import."""

from django.urls import register_converter


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(Year, "yyyy")
register_converter(TwoDigits, "mm")
register_converter(TwoDigits, "dd")
