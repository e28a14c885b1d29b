"""Old WordPress addresses of attachments lead to where the image lives now."""

import pytest

from masthead.portability.models import ImportedMedia
from masthead.portability.wxr.importer import import_wxr
from masthead.publishing.models import Page, Post
from tests.portability.conftest import attachment, item

pytestmark = pytest.mark.django_db


def _moved(client, path, **query):
    response = client.get(path, query)
    return response.status_code, response.get("Location")


def test_an_attachments_post_id_and_page_lead_to_its_post(make_wxr, client):
    import_wxr(
        make_wxr(
            item(10, title="Harbour news"),
            attachment(20, 10, "quay.jpg", link="/2020/05/harbour-news/quay/"),
        )
    )
    post = Post.objects.get()
    assert _moved(client, "/", p=20) == (301, post.get_absolute_url())
    assert _moved(client, "/", attachment_id=20) == (301, post.get_absolute_url())
    assert _moved(client, "/2020/05/harbour-news/quay/") == (301, post.get_absolute_url())


def test_an_image_attached_to_a_page_leads_to_the_page(make_wxr, client):
    import_wxr(make_wxr(item(5, title="About us", kind="page"), attachment(20, 5, "quay.jpg")))
    page = Page.objects.get()
    assert _moved(client, "/", p=20) == (301, page.get_absolute_url())
    assert _moved(client, "/quay-at-dusk/") == (301, page.get_absolute_url())


def test_an_image_attached_to_nothing_leads_to_its_file(make_wxr, client, uploads):
    import_wxr(make_wxr(attachment(20, 0, "quay.jpg")), media_dir=uploads("quay.jpg"))
    figure = ImportedMedia.objects.get().figure
    assert _moved(client, "/", p=20) == (301, figure.image.url)
    assert _moved(client, "/", attachment_id=20) == (301, figure.image.url)
