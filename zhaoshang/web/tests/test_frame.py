"""Other apps' pages that accept a frame are drawn inside the desk's, with its menu."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "linked"), [("admin", True), ("staff", True), ("leader", False), ("auditor", False)])
def test_the_import_page_sits_in_the_desk_and_only_writers_see_its_link(client, users, role, linked):
    client.force_login(users[role])
    dashboard = client.get("/").content.decode()
    assert ('data-nav="imports"' in dashboard) == linked
    page = client.get("/imports/")
    assert page.status_code in (200, 403)
    assert 'class="topbar"' in page.content.decode()
    assert 'data-nav="chains"' in page.content.decode()
