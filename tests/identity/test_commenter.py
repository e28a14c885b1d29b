"""Which names a commenter may not take: staff names, looked up from a shared cache."""

import pytest

from masthead.identity.commenter import is_registered_name

pytestmark = pytest.mark.django_db


def test_a_name_staff_take_after_the_names_were_read_is_refused_at_once(editor):
    assert not is_registered_name("Nora Quay")  # the staff names are now cached

    editor.first_name, editor.last_name = "Nora", "Quay"
    editor.save()

    assert is_registered_name("N\u043era Quay")  # Cyrillic o


def test_a_login_keeps_the_cached_staff_names(editor, django_assert_num_queries):
    is_registered_name("Nora Quay")
    editor.save(update_fields=["last_login"])

    with django_assert_num_queries(1):  # the exact-name query; the look-alikes stay cached
        is_registered_name("Nora Quay")
