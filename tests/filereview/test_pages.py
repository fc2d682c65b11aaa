"""The case-file review pages through the test client: the reviewer scores on the file's page (the HTMX preview says
the total or the reason, a refused score shows its reason and writes nothing), the staff register and issue the
notice on the plan's page, and every list stays within a query bound that does not grow with rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.filereview.models import ReviewFile
from fuyuan.rectification.models import Recommendation
from tests.factories import World
from tests.filereview.conftest import file_of, item, plan_of, score, veto

pytestmark = pytest.mark.django_db


def test_the_reviewer_scores_on_the_files_page(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    file = file_of(people, plan, "都自然罚〔2026〕1号")
    client = Client()
    client.force_login(people.users["tyjd"])
    url = reverse("filereview:file", args=[file.pk])
    archive = item(sheet, "归档不及时").pk
    preview = client.post(reverse("filereview:score_preview", args=[file.pk]), {f"deduct_{archive}": "3"})
    assert "得分 <strong>97.0</strong> 分，合格" in preview.content.decode()
    preview = client.post(reverse("filereview:score_preview", args=[file.pk]), {f"deduct_{archive}": "9"})
    assert "最多扣5.0分，填写的是9分" in preview.content.decode()
    refused = client.post(url, {f"deduct_{archive}": "9"})
    assert refused.status_code == 400 and "最多扣5.0分" in refused.content.decode()
    assert ReviewFile.objects.get(pk=file.pk).scored_at is None
    done = client.post(url, {"veto": [veto(sheet)], f"deduct_{archive}": "3", "findings": "送达回证缺签名"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "一票否决" in page and "0.0 分" in page and "扣分后 97.0 分" in page
    # another reviewer cannot even see it
    client.force_login(people.users["tyjd2"])
    assert client.get(url).status_code == 404


def test_the_staff_register_a_file_and_issue_the_notice_on_the_plans_page(people: World) -> None:
    plan = plan_of(people)
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    url = reverse("filereview:plan", args=[plan.pk])
    form = {"action": "register", "number": "都自然罚〔2026〕2号", "body": people.orgs["都匀自然资源局"].pk,
            "act_kind": "penalty", "decided_on": "2026-04-01", "reviewer": people.users["tyjd"].pk}  # fmt: skip
    assert client.post(url, form).status_code == 302
    bad = client.post(url, {**form, "decided_on": "2026-04-01", "number": "都自然罚〔2026〕2号"})
    assert bad.status_code == 400 and "已在本计划中登记" in bad.content.decode()
    file = ReviewFile.objects.get(number="都自然罚〔2026〕2号")
    score(people, file, vetoes=[veto(plan.sheet)])
    assert client.post(url, {"action": "notice", "body": people.orgs["都匀自然资源局"].pk}).status_code == 302
    rec = Recommendation.objects.get()
    assert "执法监督〔2026〕1号" in client.get(url, follow=True).content.decode()
    # the notice is in the recipient's 销账本
    client.force_login(people.users["agency_duyun"])
    assert client.get(reverse("rectification:detail", args=[rec.pk])).status_code == 200


def test_every_list_stays_within_a_query_bound(people: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(people)
    for n in range(3):
        score(people, file_of(people, plan, f"都{n}"), deductions={item(plan.sheet, "归档不及时").pk: n})
    for n in range(2):
        file_of(people, plan, f"福{n}", body="福泉公安局", reviewer="tyjd2")
    pages = [
        ("zfjd_pref", reverse("filereview:plans")),
        ("zfjd_pref", reverse("filereview:plan", args=[plan.pk])),
        ("zfjd_pref", reverse("filereview:files")),
        ("zfjd_pref", reverse("filereview:results")),
        ("zfjd_pref", reverse("filereview:sheets")),
        ("zfjd_pref", reverse("filereview:sheet", args=[plan.sheet_id])),
        ("zfjd_pref", reverse("filereview:plan_new")),
        ("tyjd", reverse("filereview:files")),
        ("tyjd", reverse("filereview:file", args=[plan.files.get(number="都1").pk])),
        ("agency_duyun", reverse("filereview:files")),
        ("rol_pref", reverse("filereview:results")),
    ]
    client = Client()
    for username, url in pages:
        client.force_login(people.users[username])
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_invited_supervisor_lands_on_their_files(people: World) -> None:
    client = Client()
    client.force_login(people.users["tyjd"])
    assert client.get("/").url == reverse("filereview:files")
