"""The header's links to signing in, signing up and the reader's account."""

import re


def _account_nav(html: str) -> str:
    return re.search(r'<nav class="account-links".*?</nav>', html, re.S).group(0)


def test_every_page_links_to_sign_in_sign_up_and_the_account(client, make_post):
    post = make_post(title="Quay lights")
    nav = _account_nav(client.get(post.get_absolute_url()).content.decode())
    next_here = post.get_absolute_url()
    assert f'<a href="/accounts/login/?next={next_here}">Sign in</a>' in nav
    assert '<a href="/accounts/signup/">Sign up</a>' in nav
    assert '<a href="/accounts/profile/">Your account</a>' in nav


def test_the_links_are_the_same_for_a_signed_in_reader_as_for_anyone(client, make_post, reader):
    # The page may be the stored copy everyone gets: nothing in it may say who reads it.
    post = make_post(title="Quay lights")
    anyone = _account_nav(client.get(post.get_absolute_url()).content.decode())
    client.force_login(reader)
    theirs = _account_nav(client.get(post.get_absolute_url()).content.decode())
    assert theirs == anyone
    assert reader.username not in theirs and reader.email not in theirs


def test_the_stored_copy_carries_the_links(wsgi, make_post):
    post = make_post(title="Quay lights")
    wsgi(post.get_absolute_url())
    stored = wsgi(post.get_absolute_url())
    assert "public" in stored.headers["cache-control"]
    assert '<a href="/accounts/profile/">Your account</a>' in stored.text


def test_on_account_pages_sign_in_carries_no_return_address(client, db):
    nav = _account_nav(client.get("/accounts/login/").content.decode())
    assert '<a href="/accounts/login/">Sign in</a>' in nav
