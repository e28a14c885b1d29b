import datetime as dt

from django.utils import timezone

from masthead.publishing.models import Post, Status


def test_it_schedules_a_post_published_in_the_future(make_post):
    post = make_post(published_at=timezone.now() + dt.timedelta(hours=2))
    assert post.status == Status.SCHEDULED
    assert not Post.objects.published().filter(pk=post.pk).exists()


def test_a_scheduled_post_appears_when_its_time_comes(make_post, time_machine):
    post = make_post(published_at=timezone.now() + dt.timedelta(hours=2))
    time_machine.move_to(timezone.now() + dt.timedelta(hours=3))
    assert Post.objects.published().filter(pk=post.pk).exists()


def test_it_gives_same_day_posts_distinct_slugs(make_post):
    first = make_post(title="Council votes")
    second = make_post(title="Council votes", published_at=first.published_at)
    assert (first.slug, second.slug) == ("council-votes", "council-votes-2")


def test_it_keeps_bylines_in_the_given_order(make_post, byline):
    from masthead.publishing.models import Author

    other = Author.objects.create(display_name="Ade Okafor", slug="ade-okafor")
    post = make_post(authors=[byline, other])
    assert [a.display_name for a in post.ordered_authors()] == ["Mara Lindqvist", "Ade Okafor"]
