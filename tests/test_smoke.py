def test_login_page(client):
    r = client.get("/auth/login")
    assert r.status_code == 200
