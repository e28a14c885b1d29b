"""One key for names a reader cannot tell apart on the page."""

import pytest

from masthead.identity.look_alikes import name_key


@pytest.mark.parametrize(
    "shown",
    [
        "eddie marsh",
        "EDDIE   MARSH",
        "\uff25\uff44\uff44\uff49\uff45 Marsh",
        "\u0415ddie M\u0430rsh",
        "\u0415DDIE \u041c\u0410RSH",
        "Ed\u200bdie Marsh\u2060",
        "Eddie\u2003Marsh",
        "Eddie Ma\u0433sh",
    ],
)
def test_names_drawn_alike_share_a_key(shown):
    assert name_key(shown) == name_key("Eddie Marsh")


def test_an_uppercase_cyrillic_i_is_read_as_a_capital_i():
    assert name_key("\u0406van") == name_key("Ivan") == name_key("ivan")


@pytest.mark.parametrize("other", ["Eddie Marshall", "Edie Marsh", "Eddi Marsh", "Eddie Marsh Jr"])
def test_names_that_look_different_keep_different_keys(other):
    assert name_key(other) != name_key("Eddie Marsh")
