import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.core.views import LANDING
from tests.factories import PASSWORD, World


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("rol_pref", "stats:dashboard"),
        ("leader_pref", "stats:dashboard"),
        ("agency_duyun", "hearings:mine"),
        ("court_duyun", "hearings:court"),
        ("recon_pref", "cases:list"),
        ("sysadmin", "admins:system"),
        ("secadmin", "admins:users"),
        ("auditadmin", "audit:log"),
        ("centre", "disputes:queue"),
        ("coordinator", "disputes:mine"),
        ("discipline", "accountability:transfer_list"),
    ],
)
def test_the_main_page_opens_what_the_role_works_with(
    client: Client, world: World, persona: str, lands_on: str
) -> None:
    client.login(username=persona, password=PASSWORD)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)
    assert client.get(response["Location"]).status_code == 200


def test_every_role_has_a_landing_page() -> None:
    assert set(LANDING) == set(Role)


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client: Client, db: None) -> None:
    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/cases/")
