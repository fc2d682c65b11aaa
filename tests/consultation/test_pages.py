"""The pages through the Django client: the case page's panel for each role, sending and answering through the
forms (bad input named, nothing written), the meeting form, the list and figures with their query bounds and
drill-down links."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.consultation.choices import Answer, NoticeState
from fuyuan.consultation.models import ConsultationMeeting, RiskNotice
from fuyuan.consultation.workflow import answer_notice
from tests.consultation.conftest import notice_on, pending_case
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    c = Client()
    c.login(username=username, password=PASSWORD)
    return c


def test_the_court_liaison_sends_a_notice_from_the_case_page(world: World, case: Case) -> None:
    court = client_of("court_duyun")
    page = court.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="send-notice"' in page
    url = reverse("consultation:send", args=[case.pk])
    refused = court.post(url, {"concerns": [], "text": "  "})
    assert refused.status_code == 400 and "风险类别" in refused.content.decode()
    assert not RiskNotice.objects.exists()
    sent = court.post(url, {"concerns": ["procedure", "law"], "text": "未履行听证程序；适用条款错误。"})
    assert sent.status_code == 302
    notice = RiskNotice.objects.get()
    assert notice.concerns == ["procedure", "law"]
    page = court.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "待答复" in page and 'data-testid="send-notice"' not in page


def test_the_send_page_is_refused_to_the_agency_and_to_another_court(world: World, case: Case) -> None:
    url = reverse("consultation:send", args=[case.pk])
    assert client_of("agency_duyun").get(url).status_code == 403
    assert client_of("agency_fuquan").get(url).status_code == 404


def test_the_agency_answers_on_the_notice_page_and_the_office_reads_it(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    agency = client_of("agency_duyun")
    panel = agency.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="answer-notice"' in panel
    url = reverse("consultation:detail", args=[notice.pk])
    refused = agency.post(url, {"step": "answer", "answer": "", "text": "x"})
    assert refused.status_code == 400 and "答复意见" in refused.content.decode()
    assert agency.post(url, {"step": "answer", "answer": "correct", "text": "已撤销原决定"}).status_code == 302
    assert RiskNotice.objects.get().state == NoticeState.ANSWERED
    office = client_of("rol_duyun").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "自行纠正" in office and "已撤销原决定" in office and 'data-testid="answer-notice"' not in office


def test_the_office_minutes_a_meeting_and_the_court_cannot_answer(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    url = reverse("consultation:detail", args=[notice.pk])
    page = client_of("court_duyun").get(url).content.decode()
    assert 'data-testid="answer-form"' not in page and 'data-testid="meeting-form"' in page
    response = client_of("rol_duyun").post(
        url, {"step": "meeting", "held_on": "2026-12-02", "participants": "法院、机关、依法治办", "minutes": "同意纠正"}
    )
    assert response.status_code == 302 and ConsultationMeeting.objects.count() == 1
    assert 'data-testid="meeting-form"' not in client_of("agency_duyun").get(url).content.decode()


def test_the_list_costs_the_same_queries_for_many_notices(
    world: World, clock: Any, django_assert_max_num_queries: Any
) -> None:
    notice_on(pending_case(world), world)
    office = client_of("rol_pref")
    with django_assert_max_num_queries(10):
        office.get(reverse("consultation:list"))
    for _ in range(30):
        notice_on(pending_case(world), world)
    with django_assert_max_num_queries(10):
        page = office.get(reverse("consultation:list")).content.decode()
    assert page.count('data-testid="notice-row"') == 31


def test_the_figures_page_links_each_number_to_its_cases(
    world: World, case: Case, django_assert_max_num_queries: Any
) -> None:
    notice = notice_on(case, world)
    answer_notice(notice, answer=Answer.CORRECT, text="纠正", by=world.users["agency_duyun"])
    update_case(
        case, {"concluded_on": case.filed_on, "outcome": LitigationOutcome.WITHDRAWN}, by=world.users["court_duyun"]
    )
    office = client_of("rol_pref")
    with django_assert_max_num_queries(12):
        page = office.get(reverse("consultation:figures")).content.decode()
    assert "都匀市自然资源局" in page
    link = page.split('data-testid="cell-resolved" href="')[0]
    href = page.split('data-testid="cell-resolved"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert link and "figure=resolved" in href
    behind = office.get(href).content.decode()
    assert case.number in behind and behind.count('data-testid="notice-row"') == 1
    assert client_of("coordinator").get(reverse("consultation:figures")).status_code == 403


def test_a_reconsideration_case_page_has_no_panel(world: World, clock: Any) -> None:
    recon = pending_case(world, kind="reconsideration", court=None, filed_on=None, instance="")
    page = client_of("rol_pref").get(reverse("cases:detail", args=[recon.pk])).content.decode()
    assert 'data-testid="case-risk-notices"' not in page


def test_the_case_page_panel_costs_the_same_queries_for_many_notices(world: World, case: Case) -> None:
    office = client_of("rol_duyun")
    url = reverse("cases:detail", args=[case.pk])
    counted = []
    for n in range(5):
        notice = notice_on(case, world)
        answer_notice(notice, answer=Answer.DEFEND, text=f"第{n + 1}次答复", by=world.users["agency_duyun"])
        if n in (0, 4):
            office.get(url)
            with CaptureQueriesContext(connection) as queries:
                page = office.get(url).content.decode()
            counted.append(len(queries))
    # The same for one notice as for five; the bound is the whole case page's (its other panels included).
    assert counted[0] == counted[1] <= 18, counted
    assert page.count("第5次答复") == 1 and page.count('data-testid="notice-answer"') == 5
