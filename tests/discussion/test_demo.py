from masthead.discussion.models import Comment
from masthead.publishing.demo import load_demo


def test_the_demo_article_has_a_threaded_discussion_loaded_once(client, db):
    load_demo()
    load_demo()
    comments = Comment.objects.visible().filter(legacy_id__startswith="demo:")
    assert comments.count() == 4
    assert max(c.depth for c in comments) == 2
    article = comments.first().post
    html = client.get(article.get_absolute_url()).content.decode()
    assert "4 Replies to" in html
