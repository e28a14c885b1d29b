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
