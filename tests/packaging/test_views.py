"""The packaging pages through the Django test client: what each role sees and may do."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from fuyuan.core.models import User
from fuyuan.packaging.models import CasePackage, PackageState
from tests.factories import local_today
from tests.packaging.conftest import Packaging

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def due() -> datetime.date:
    return local_today() + datetime.timedelta(days=90)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def now_package(pk_world: Packaging, **kw: object) -> CasePackage:
    return pk_world.package(now=timezone.now(), due_on=due(), **kw)


def test_the_office_packages_two_cases_by_case_number_from_the_form(pk_world: Packaging) -> None:
    client = client_for(pk_world.user("rol_duyun"))

    response = client.post(
        reverse("packaging:new"),
        {"kind": "resolve", "leader": pk_world.leader_duyun.pk,
         "cases": "（2026）黔2701行初11号\n（2026）黔2701行初12号", "goal": "专班化解", "due_on": due().isoformat()},
        follow=True,
    )  # fmt: skip

    package = CasePackage.objects.get()
    assert response.redirect_chain[-1][0] == reverse("packaging:detail", args=[package.pk])
    page = response.content.decode()
    assert "已安排领导包案" in page and "（2026）黔2701行初12号" in page
    assert reverse("cases:detail", args=[pk_world.duyun_cases[0].pk]) in page


def test_an_unknown_or_foreign_case_number_is_shown_on_the_form_and_nothing_is_created(pk_world: Packaging) -> None:
    client = client_for(pk_world.user("rol_duyun"))
    data = {"kind": "resolve", "leader": pk_world.leader_duyun.pk, "goal": "x", "due_on": due().isoformat()}

    response = client.post(reverse("packaging:new"), {**data, "cases": "（2026）黔2702行初7号、（1999）无此号"})

    assert "在您的管辖范围内找不到案件：（2026）黔2702行初7号、（1999）无此号" in response.content.decode()
    response = client.post(reverse("packaging:new"), {**data, "kind": "supervise", "cases": "（2026）黔2701行初11号"})
    assert "包案化解由县(市)领导负责" in response.content.decode()
    assert not CasePackage.objects.exists()


def test_the_new_form_offers_only_leaders_of_the_offices_region(pk_world: Packaging) -> None:
    page = client_for(pk_world.user("rol_duyun")).get(reverse("packaging:new")).content.decode()
    assert "都匀市李副市长" in page and "州王副州长" not in page and "leader_fuquan" not in page


@pytest.mark.parametrize("name", ["agency_duyun", "court_duyun", "centre", "coordinator", "discipline", "sysadmin"])
def test_other_roles_are_refused_every_page(pk_world: Packaging, name: str) -> None:
    package = now_package(pk_world)
    client = client_for(pk_world.user(name))
    for url in [reverse("packaging:list"), reverse("packaging:new"), reverse("packaging:dispatch"),
                reverse("packaging:detail", args=[package.pk]), reverse("packaging:dispatch_download", args=["xlsx"])]:  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_a_leader_cannot_open_the_new_form(pk_world: Packaging) -> None:
    assert client_for(pk_world.leader_duyun).get(reverse("packaging:new")).status_code == 403


def test_a_package_outside_ones_scope_is_not_found(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    assert client_for(pk_world.leader_fuquan).get(reverse("packaging:detail", args=[package.pk])).status_code == 404


def test_the_leader_reports_progress_on_the_page_but_cannot_close(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    client = client_for(pk_world.leader_duyun)
    page = client.get(reverse("packaging:detail", args=[package.pk])).content.decode()
    assert 'data-testid="progress-form"' in page and 'data-testid="close-form"' not in page

    response = client.post(
        reverse("packaging:progress", args=[package.pk]),
        {"progress-reported_on": local_today().isoformat(), "progress-text": "已约见原告"},
        follow=True,
    )

    assert "已报送进展" in response.content.decode() and "已约见原告" in response.content.decode()
    assert client.post(reverse("packaging:close", args=[package.pk]), {"close-state": "resolved"}).status_code == 403


def test_a_refused_transition_shows_the_reason_next_to_the_form(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    client = client_for(pk_world.user("rol_duyun"))

    response = client.post(
        reverse("packaging:close", args=[package.pk]), {"close-state": "withdrawn", "close-note": ""}
    )

    assert "未化解结案或撤销时请写明理由" in response.content.decode()
    package.refresh_from_db()
    assert package.state == PackageState.ACTIVE


def test_the_office_closes_and_interviews_only_when_lagging(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    client = client_for(pk_world.user("rol_duyun"))
    assert (
        'data-testid="interview-form"'
        not in client.get(reverse("packaging:detail", args=[package.pk])).content.decode()
    )
    CasePackage.objects.filter(pk=package.pk).update(last_activity_on=local_today() - datetime.timedelta(days=40))

    page = client.get(reverse("packaging:detail", args=[package.pk])).content.decode()
    assert 'data-testid="interview-form"' in page and "落后：一个月内未报送进展" in page
    response = client.post(
        reverse("packaging:interview", args=[package.pk]),
        {"interview-held_on": local_today().isoformat(), "interview-interviewer": "依法治办主任",
         "interview-interviewee": "都匀市李副市长", "interview-conclusions": "限期召开专班会"},
        follow=True,
    )  # fmt: skip
    assert "已记录约谈" in response.content.decode() and "限期召开专班会" in response.content.decode()
    client.post(reverse("packaging:close", args=[package.pk]), {"close-state": "resolved", "close-note": ""})
    package.refresh_from_db()
    assert package.state == PackageState.RESOLVED


def test_the_office_edits_the_package(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    client_for(pk_world.user("rol_duyun")).post(
        reverse("packaging:edit", args=[package.pk]),
        {"edit-cases": "（2026）黔2701行初11号", "edit-goal": "新目标", "edit-due_on": due().isoformat()},
    )
    package.refresh_from_db()
    assert package.goal == "新目标" and package.cases.count() == 1


def test_the_list_filters_by_state_leader_and_lagging_in_bounded_queries(
    pk_world: Packaging, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        now_package(pk_world)
    behind = now_package(pk_world, goal="落后的包案")
    CasePackage.objects.filter(pk=behind.pk).update(last_activity_on=local_today() - datetime.timedelta(days=40))
    supervise = pk_world.package(kind="supervise", leader=pk_world.user("leader_pref"), cases=[pk_world.fuquan_case],
                                 by=pk_world.user("rol_pref"), now=timezone.now(), due_on=due(), goal="督促群体性案件")  # fmt: skip
    client = client_for(pk_world.user("rol_pref"))
    url = reverse("packaging:list")

    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count('data-testid="package-row"') == 7

    assert client.get(url, {"lagging": "1"}).content.decode().count('data-testid="package-row"') == 1
    leader_page = client.get(url, {"leader": pk_world.user("leader_pref").pk}).content.decode()
    assert leader_page.count('data-testid="package-row"') == 1 and "督促群体性案件" in leader_page
    assert client.get(url, {"state": "resolved"}).content.decode().count('data-testid="package-row"') == 0
    assert supervise.pk


def test_the_dispatch_page_and_its_downloads(pk_world: Packaging) -> None:
    package = now_package(pk_world)
    client = client_for(pk_world.leader_duyun)
    client.post(reverse("packaging:progress", args=[package.pk]),
                {"progress-reported_on": local_today().isoformat(), "progress-text": "原告同意调解"})  # fmt: skip
    month = f"{local_today():%Y-%m}"

    page = client.get(reverse("packaging:dispatch"), {"month": month}).content.decode()
    assert page.count('data-testid="dispatch-row"') == 1 and "原告同意调解" in page

    xlsx = client.get(reverse("packaging:dispatch_download", args=["xlsx"]), {"month": month})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "都匀市李副市长" and "原告同意调解" in rows[1][6]
    docx = client.get(reverse("packaging:dispatch_download", args=["docx"]), {"month": month})
    doc = Document(io.BytesIO(docx.content))
    assert doc.paragraphs[0].text == f"{local_today().year}年{local_today().month}月领导包案按月调度表"
    assert "原告同意调解" in doc.tables[0].rows[1].cells[6].text
    assert any(p.text == "都匀市依法治办" for p in doc.paragraphs)
