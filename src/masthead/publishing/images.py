"""Checking uploaded images and making their responsive renditions."""


def validate_image(upload) -> None:
    raise NotImplementedError


def clean_upload(upload):
    raise NotImplementedError


def make_renditions(figure) -> list[dict]:
    raise NotImplementedError
