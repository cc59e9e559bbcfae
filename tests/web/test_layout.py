"""The shared layout (base.html): top bar with a disclosure menu, the current page marked,
icons from the shipped sprite (decorative ones hidden), no inline styles or scripts."""

from __future__ import annotations

import re

from app.auth.models import Role

NAV_CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">')


def test_menu_marks_the_current_page_and_uses_the_icon_sprite(make, auth, client):
    user = make.clinician()
    auth.login(user.email)
    home = client.get("/").get_data(as_text=True)
    assert '<details class="menu">' in home and "<summary>" in home
    assert NAV_CURRENT.findall(home) == ["/"]
    assert "/static/icons/sprite.svg#house" in home
    assert re.search(r'<svg class="icon"[^>]*aria-hidden="true" focusable="false"><use', home)

    settings = client.get("/auth/settings").get_data(as_text=True)
    assert NAV_CURRENT.findall(settings) == ["/auth/settings"]
    inbox = client.get("/alerts").get_data(as_text=True)
    assert NAV_CURRENT.findall(inbox) == ["/alerts"]


def test_the_admin_sees_administration_as_the_current_page(make, auth, client):
    auth.login(make.user(Role.ADMIN).email)
    admin = client.get("/admin/").get_data(as_text=True)
    assert NAV_CURRENT.findall(admin) == ["/admin/"]


def test_signed_out_pages_have_the_bar_without_a_menu_and_no_inline_style(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'class="brand"' in page
    assert 'class="menu"' not in page
    assert "style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
