import pytest
from django.db import connection

from masthead.publishing.search import search_posts
from masthead.publishing.search_index import restore_triggers


@pytest.mark.django_db
def test_search_survives_a_migration_that_rebuilt_the_posts_table(make_post):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its trigger through table changes")
    with connection.cursor() as cursor:  # what a table rebuild leaves behind
        cursor.execute("DROP TRIGGER publishing_post_search_insert")
    post = make_post(title="Lighthouse keeper retires")
    assert list(search_posts("lighthouse")) == []
    assert restore_triggers() == ["publishing_post_search_insert"]
    assert list(search_posts("lighthouse")) == [post]
    assert restore_triggers() == []
    later = make_post(title="Lighthouse opens to visitors")
    assert later in search_posts("lighthouse")
