import pytest
from django.test import Client

from tests.factories import PASSWORD, World


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("rol_pref", "/stats/"),
        ("leader_pref", "/stats/"),
        ("agency_duyun", "/cases/"),
        ("court_duyun", "/cases/"),
        ("recon_pref", "/cases/"),
        ("sysadmin", "/security/admins/users/"),
        ("secadmin", "/security/admins/users/"),
        ("auditadmin", "/audit/"),
        ("centre", "/disputes/"),
        ("coordinator", "/disputes/mine/"),
    ],
)
def test_the_main_page_opens_what_the_role_works_with(
    client: Client, world: World, persona: str, lands_on: str
) -> None:
    client.login(username=persona, password=PASSWORD)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client: Client, db: None) -> None:
    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/cases/")
