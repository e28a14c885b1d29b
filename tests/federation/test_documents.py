"""Discovery and the actor's documents, as a Mastodon server reads them."""

import pytest

from masthead.federation.models import ActorKey, Follower

AP = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


@pytest.mark.django_db
def test_webfinger_finds_the_publication(client):
    answer = client.get("/.well-known/webfinger", {"resource": "acct:news@127.0.0.1:8000"})
    assert answer.status_code == 200
    links = {link["rel"]: link["href"] for link in answer.json()["links"]}
    assert links["self"] == "http://127.0.0.1:8000/federation/actor"


@pytest.mark.django_db
def test_webfinger_says_who_it_does_not_know(client):
    answer = client.get("/.well-known/webfinger", {"resource": "acct:bob@127.0.0.1:8000"})
    assert answer.status_code == 404
    assert "acct:news@127.0.0.1:8000" in answer.json()["error"]


@pytest.mark.django_db
def test_the_actor_has_one_key_kept_across_requests(client):
    first = client.get("/federation/actor", headers={"accept": AP}).json()
    second = client.get("/federation/actor", headers={"accept": AP}).json()
    assert first["type"] == "Service"
    assert first["preferredUsername"] == "news"
    assert first["inbox"] == "http://127.0.0.1:8000/federation/inbox"
    assert first["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert first["publicKey"] == second["publicKey"]
    assert ActorKey.objects.count() == 1


@pytest.mark.django_db
def test_host_meta_and_nodeinfo(client):
    assert "webfinger?resource={uri}" in client.get("/.well-known/host-meta").content.decode()
    href = client.get("/.well-known/nodeinfo").json()["links"][0]["href"]
    assert client.get(href.removeprefix("http://127.0.0.1:8000")).json()["protocols"] == [
        "activitypub"
    ]


def test_outbox_pages_hold_the_published_articles(client, make_post):
    make_post(title="Ferry back")
    make_post(title="Not yet", status="draft", published_at=None)
    outbox = client.get("/federation/outbox").json()
    assert outbox["totalItems"] == 1
    page = client.get(outbox["first"].removeprefix("http://127.0.0.1:8000")).json()
    [create] = page["orderedItems"]
    assert create["type"] == "Create"
    assert create["object"]["type"] == "Article"
    assert create["object"]["name"] == "Ferry back"


def test_followers_count_without_names(client, alice):
    Follower.objects.create(actor=alice)
    followers = client.get("/federation/followers").json()
    assert followers["totalItems"] == 1
    assert alice.uri not in str(followers)


@pytest.mark.parametrize("accept", [AP, LD])
def test_an_article_address_gives_the_article_to_activitypub_clients(client, make_post, accept):
    post = make_post(title="Harbour ferry returns", excerpt="Back on Monday.")
    answer = client.get(post.get_absolute_url(), headers={"accept": accept})
    assert answer["Content-Type"] == AP
    doc = answer.json()
    assert doc["type"] == "Article"
    assert doc["name"] == "Harbour ferry returns"
    assert doc["summary"] == "Back on Monday."
    assert doc["url"] == "http://127.0.0.1:8000" + post.get_absolute_url()
    assert doc["attributedTo"] == "http://127.0.0.1:8000/federation/actor"


def test_the_page_cache_keeps_html_and_json_apart(client, make_post):
    post = make_post()
    url = post.get_absolute_url()
    html = client.get(url)
    assert html["Content-Type"].startswith("text/html")
    assert "Accept" in html["Vary"]
    # The page is now stored; an ActivityPub client still gets JSON, and the browser HTML.
    assert client.get(url, headers={"accept": AP}).json()["type"] == "Article"
    assert client.get(url)["Content-Type"].startswith("text/html")


def test_a_draft_is_not_served_as_json(client, make_post):
    post = make_post(status="draft", published_at=None)
    answer = client.get(f"/federation/replies/{post.pk}")
    assert answer.status_code == 404
