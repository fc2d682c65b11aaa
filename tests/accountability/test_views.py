"""The 书面报告 pages: who sees which duty (a matrix), the file with the figures that opened it and a link to the
county's lost cases, the upload with its refusals, and the prefecture's accept and return."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fuyuan.accountability.models import DutyState, ReportDuty
from fuyuan.accountability.workflow import open_report_duties, submit_report
from fuyuan.core.models import Event
from tests.accountability.conftest import NOW, PDF, Setup, pdf
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def as_user(client: Client, setup: Setup, name: str) -> Client:
    assert client.login(username=setup.user(name).username, password=PASSWORD)
    return client


@pytest.fixture
def duty(setup: Setup) -> ReportDuty:
    (opened,) = open_report_duties(NOW)
    return opened


# (persona, sees the list page, sees 都匀市's duty)
MATRIX = [
    ("rol_pref", 200, True),
    ("leader_pref", 200, True),
    ("rol_duyun", 200, True),
    ("gov_duyun", 200, True),
    ("rol_fuquan", 200, False),
    ("agency_duyun", 200, False),  # an agency that is not the county government
    ("agency_fuquan", 200, False),
    ("court_duyun", 403, False),
    ("recon_pref", 403, False),
    ("centre", 403, False),
    ("coordinator", 403, False),
    ("discipline", 403, False),
    ("sysadmin", 403, False),
]


@pytest.mark.parametrize(("persona", "list_status", "sees"), MATRIX)
def test_who_sees_the_duty_is_a_matrix(
    client: Client, setup: Setup, duty: ReportDuty, persona: str, list_status: int, sees: bool
) -> None:
    c = as_user(client, setup, persona)

    listing = c.get("/accountability/")
    detail = c.get(f"/accountability/{duty.pk}/")

    assert listing.status_code == list_status
    if list_status == 200:
        rows = listing.content.decode().count('data-testid="duty-row"')
        assert rows == (1 if sees else 0)
    assert detail.status_code == (200 if sees else 404)


def test_the_file_shows_the_figures_and_links_to_the_countys_lost_cases(
    client: Client, setup: Setup, duty: ReportDuty
) -> None:
    page = as_user(client, setup, "rol_pref").get(f"/accountability/{duty.pk}/").content.decode()

    assert "40.00%" in page and "超过 30.00% 的阈值" in page and "2026年4月17日" in page
    link = f"/cases/?figure=litigation.lost&amp;from=2026-01-01&amp;to=2026-03-18&amp;county={duty.county_id}"
    assert link in page
    cases = client.get(link.replace("&amp;", "&")).content.decode()
    assert "共 <strong>4</strong> 件" in cases


def test_the_county_uploads_a_report_and_a_bad_one_is_refused_on_the_form(
    client: Client, setup: Setup, duty: ReportDuty
) -> None:
    c = as_user(client, setup, "gov_duyun")
    events = Event.objects.count()

    refused = c.post(f"/accountability/{duty.pk}/submit/", {"submit-report": SimpleUploadedFile("报告.exe", b"MZ")})

    assert refused.status_code == 200
    assert "“报告.exe”不是 PDF 或 Word 文件：只接受 .pdf、.doc、.docx" in refused.content.decode()
    assert Event.objects.count() == events and ReportDuty.objects.get().state == DutyState.OPEN

    done = c.post(f"/accountability/{duty.pk}/submit/", {"submit-report": pdf()}, follow=True)

    assert "已报送书面报告" in done.content.decode()
    assert ReportDuty.objects.get().state == DutyState.SUBMITTED
    download = c.get(f"/accountability/{duty.pk}/report/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_the_prefecture_returns_then_accepts_and_the_county_cannot_review(
    client: Client, setup: Setup, duty: ReportDuty
) -> None:
    submit_report(duty, pdf(), by=setup.gov_duyun, now=NOW)
    assert as_user(Client(), setup, "rol_duyun").post(f"/accountability/{duty.pk}/accept/").status_code == 403
    c = as_user(client, setup, "rol_pref")

    empty = c.post(f"/accountability/{duty.pk}/return/", {"return-note": ""})
    assert "退回时请写明需要补充或修改的内容" in empty.content.decode()
    c.post(f"/accountability/{duty.pk}/return/", {"return-note": "请补充整改时限"})
    assert ReportDuty.objects.get().state == DutyState.RETURNED

    gov = as_user(Client(), setup, "gov_duyun")
    assert "退回意见：请补充整改时限" in gov.get(f"/accountability/{duty.pk}/").content.decode()
    gov.post(f"/accountability/{duty.pk}/submit/", {"submit-report": pdf("修改稿.pdf")})
    page = c.post(f"/accountability/{duty.pk}/accept/", {"accept-note": ""}, follow=True).content.decode()

    assert "已审核通过，书面报告事项办结" in page and "修改稿.pdf" in page
    assert ReportDuty.objects.get().state == DutyState.CLOSED


def test_the_list_reads_a_fixed_number_of_queries(
    client: Client,
    setup: Setup,
    settings,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    settings.FUYUAN_LOSS_THRESHOLD = "20"  # 都匀市 and 福泉市 both
    assert len(open_report_duties(NOW)) == 2
    c = as_user(client, setup, "rol_pref")
    c.get("/accountability/")

    with django_assert_max_num_queries(8):
        page = c.get("/accountability/").content.decode()

    assert page.count('data-testid="duty-row"') == 2
