from django.test import Client


def test_an_unknown_address_gets_a_helpful_404(client, db):
    response = client.get("/no/such/thing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "couldn’t find that page" in html
    assert 'action="/search/"' in html


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_a_server_error_page_renders_without_a_request_context(rf, settings):
    from masthead.publishing.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_refused_page_has_the_sites_look_and_a_way_on(client, author_user):
    client.force_login(author_user)  # staff, but pages are the editors' to write
    response = client.get("/admin/publishing/page/add/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "/static/masthead/css/site.css" in html and 'class="site-header"' in html
    assert "This page isn’t open to you" in html
    assert 'href="/accounts/login/?next=/admin/publishing/page/add/"' in html
    assert '<a href="/">Go to the latest articles</a>' in html


def test_a_form_without_its_csrf_token_gets_the_sites_page_with_a_way_back(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "Forged"},
        HTTP_REFERER="http://testserver/accounts/profile/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html and "Your form wasn’t sent" in html
    assert (
        '<a href="http://testserver/accounts/profile/">Back to the page you came from</a>' in html
    )
    assert "Reason" not in html  # the technical reason only in debug mode


def test_the_csrf_page_links_back_only_to_this_site(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(
        "/accounts/profile/", {"display_name": "Forged"}, HTTP_REFERER="https://evil.example/form"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
    assert "Go to the latest articles" in response.content.decode()
