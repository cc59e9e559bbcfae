"""Security headers, friendly error pages, health check, role pages."""

from __future__ import annotations

from app import create_app
from tests.factories import PASSWORD


def test_security_headers_on_every_page(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_pages_have_no_inline_scripts_or_cdn_assets(make, client, auth):
    auth.login(make.clinician().email, PASSWORD)
    for path in ("/", "/auth/settings", "/auth/login", "/auth/reset"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "<script>" not in html
        assert " onclick=" not in html
        assert "//cdn" not in html
        assert "https://" not in html


def test_not_found_page_is_friendly_and_localized(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Página no encontrada" in html


def test_admin_pages_are_forbidden_to_other_roles(make, client, auth):
    auth.login(make.clinician().email, PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_health_check_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_check_is_503_when_database_is_unreachable(tmp_path):
    broken = create_app(
        {"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_home_redirects_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_unexpected_errors_get_a_friendly_localized_500(database_url):
    app = create_app(
        {"DATABASE_URL": database_url, "TESTING": False, "PROPAGATE_EXCEPTIONS": False}
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("synthetic failure")

    response = app.test_client().get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "synthetic failure" not in html
    app.extensions["heed.engine"].dispose()
