"""How much a comment shares with its article, worked out once per version of the post."""

from masthead.discussion import spam, topic
from masthead.discussion.models import Comment
from masthead.publishing import services as publishing

BODY = "The council will cut opening hours at five branch libraries to close a budget gap."


def test_a_comment_borrowing_the_article_s_words_is_on_topic(make_post):
    post = make_post(title="Library hours", body=BODY)
    found = topic.overlap("Cutting the library hours will not close the gap.", post)
    assert (found.shared, found.words) == (3, 4)  # library, hours, close; not cutting
    assert found.on_topic


def test_a_long_comment_sharing_nothing_is_off_topic_and_a_short_one_is_neither(make_post):
    post = make_post(title="Library hours", body=BODY)
    off = topic.overlap("Lovely holiday cottages to rent by the sea at fair prices.", post)
    assert off.off_topic and not off.on_topic
    short = topic.overlap("Great piece, thanks.", post)
    assert not short.off_topic and not short.on_topic


def test_links_and_common_words_are_not_counted(make_post):
    post = make_post(title="Library hours", body=BODY)
    found = topic.overlap("This would be [libraries](https://libraries.example.org/hours)", post)
    assert (found.shared, found.words) == (1, 1)


def test_the_article_s_words_cost_no_query_once_cached(make_post, django_assert_num_queries):
    post = make_post(title="Library hours", body=BODY)
    topic.article_stems(post)
    with django_assert_num_queries(1):  # the learned counts, as before
        spam.classify(Comment(post=post, body="The branch libraries matter."))


def test_an_edited_article_is_read_again(make_post):
    post = make_post(title="Library hours", body=BODY)
    assert topic.overlap("The ferry timetable changes.", post).shared == 0
    publishing.save_post(post, body="The ferry timetable changes in winter.")
    assert topic.overlap("The ferry timetable changes.", post).shared == 3
