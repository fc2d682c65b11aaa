"""Downloading the 调解协议书 (``documents:agreement``): the dispute's own readers get the file under its Chinese name,
everyone else a 404, and a dispute not mediated a page that says why."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.disputes.models import Dispute
from fuyuan.disputes.workflow import accept_dispute
from tests.disputes.consent import WRITTEN
from tests.documents.conftest import Mediate, read_docx, texts
from tests.factories import PASSWORD, World, make_coordinator, make_dispute, make_user

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(client: Client, username: str, dispute: Dispute):  # type: ignore[no-untyped-def]
    assert client.login(username=username, password=PASSWORD)
    return client.get(reverse("documents:agreement", args=[dispute.pk]))


def test_the_agency_liaison_downloads_the_agreement_under_its_chinese_name(client: Client, mediate: Mediate) -> None:
    dispute = mediate()

    response = download(client, "agency_duyun", dispute)

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    name = quote("调解协议书-都匀市争调〔2026〕1号.docx")
    assert response["Content-Disposition"] == (
        f"attachment; filename=agreement-{dispute.pk}.docx; filename*=UTF-8''{name}"
    )
    assert texts(read_docx(response.content))[:2] == ["行政争议调解协议书", "编号：都匀市争调〔2026〕1号"]


@pytest.mark.parametrize("username", ["centre_duyun", "coordinator", "rol_duyun"])
def test_the_centre_the_assigned_coordinator_and_the_rule_of_law_office_download_it(
    client: Client, mediate: Mediate, username: str
) -> None:
    assert download(client, username, mediate()).status_code == 200


def test_a_coordinator_not_on_the_team_another_agency_and_another_centre_get_a_404(
    client: Client, world: World, mediate: Mediate
) -> None:
    dispute = mediate()
    other = make_user("coordinator_other", Role.COORDINATOR, region=world.regions["黔南州"])
    make_coordinator("周专家", org=world.orgs["州司法局"], user=other)

    for username in ("coordinator_other", "agency_fuquan", "centre", "sysadmin"):
        assert download(client, username, dispute).status_code == 404, username


def test_a_visitor_not_logged_in_is_sent_to_the_login_page(client: Client, mediate: Mediate) -> None:
    response = client.get(reverse("documents:agreement", args=[mediate().pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_dispute_not_mediated_gets_a_409_page_saying_why(client: Client, world: World) -> None:
    staff = world.users["centre_duyun"]
    dispute = make_dispute(world.orgs["都匀中心"], agency=world.orgs["都匀自然资源局"], by=staff)
    dispute = accept_dispute(dispute, consent=WRITTEN, by=staff)

    response = download(client, "centre_duyun", dispute)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "无法生成调解协议书" in page
    assert f"{dispute.number} 尚未办结，不是调解成功，没有调解协议书" in page
    assert reverse("disputes:detail", args=[dispute.pk]) in page
