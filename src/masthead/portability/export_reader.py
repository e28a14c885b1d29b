"""A Masthead JSON export read as a stream: the header, then each section's records one by one.

``json.load`` would hold the whole site (and with ``--embed-media`` every file)
in memory at once; ijson parses as it reads, and each record is built alone
and dropped once loaded, so memory follows the largest record, not the file.
Sections come in the order ``export_json`` writes them, which is the order a
loader needs: what a record refers to comes before it.
"""

from collections.abc import Iterator
from typing import BinaryIO

import ijson
from ijson.common import ObjectBuilder

_OPEN, _CLOSE = ("start_map", "start_array"), ("end_map", "end_array")


class BadExport(Exception):
    """Not JSON, or not the JSON an export is; the message says where."""


def _value(events: Iterator, event: str, value):
    """The value that starts with this event, built from the events that follow."""
    if event not in _OPEN:
        return value
    builder, depth = ObjectBuilder(), 1
    builder.event(event, value)
    for _, event, value in events:
        builder.event(event, value)
        depth += (event in _OPEN) - (event in _CLOSE)
        if depth == 0:
            return builder.value
    raise BadExport("the file ends inside a record")


def _records(events: Iterator, name: str) -> Iterator:
    for prefix, event, value in events:
        if prefix == name and event == "end_array":
            return
        yield _value(events, event, value)
    raise BadExport(f"the file ends inside “{name}”")


def _events(source: BinaryIO) -> Iterator[tuple]:
    try:
        yield from ijson.parse(source, use_float=True)
    except ijson.JSONError as exc:
        raise BadExport(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise BadExport(f"byte {exc.start} is not UTF-8") from exc


def read(source: BinaryIO) -> Iterator[tuple[str, object]]:
    """(key, value) for each top-level field; a list's value is an iterator of its records.

    Each iterator must be used up before the next pair is asked for.
    """
    events = _events(source)
    first = next(events, None)
    if first is None or first[1] != "start_map":
        raise BadExport("the file is not a JSON object")
    for prefix, event, value in events:
        if prefix == "" and event == "end_map":
            return
        if event != "map_key":
            continue
        _, event, start = next(events)
        if event == "start_array":
            yield value, _records(events, value)
        else:
            yield value, _value(events, event, start)
