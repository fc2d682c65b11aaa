"""The list pages keep to a query bound that does not grow with their rows, and the bodies' pages register, confirm and
publish a body."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.enforcement import workflow as wf
from fuyuan.enforcement.choices import ReviewConclusion
from fuyuan.enforcement.models import EnforcementBody, TrainingRecord
from tests.enforcement.conftest import D, add_officer, registered
from tests.factories import World

pytestmark = pytest.mark.django_db

LISTS = [
    ("enforcement:officers", ""),
    ("enforcement:officers", "?organisation={org}&year=2026"),
    ("enforcement:alerts", ""),
    ("enforcement:bodies", ""),
    ("enforcement:decisions", ""),
    ("enforcement:decisions", "?problem=1"),
    ("enforcement:decisions", "?organisation={org}&year=2026"),
]


def add_rows(world: World, n: int, start: int) -> None:
    for i in range(start, start + n):
        officer = add_officer(world, "都匀自然资源局", f"人员{i}", f"5227{i:07d}", valid_to=D(2026, 12, 10 + i % 10))
        TrainingRecord.objects.create(officer=officer, year=2026, hours=40, score=80, result="passed")
        d = registered(world, title=f"决定{i}")
        wf.record_review(d, conclusion=ReviewConclusion.AGREED, opinion="同意。", reviewed_on=D(2026, 11, 1),
                         by=world.users["agency_duyun"])  # fmt: skip
        wf.record_decision(d, decided_on=D(2026, 11, 2), by=world.users["agency_duyun"])


def test_every_list_keeps_its_query_bound_whatever_its_rows(people: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    org = people.orgs["都匀自然资源局"].pk
    for n, start in ((2, 0), (12, 2)):
        add_rows(people, n, start)
        for name, query in LISTS:
            with django_assert_max_num_queries(11):
                response = client.get(reverse(name) + query.format(org=org))
            assert response.status_code == 200, name
            assert response.context["page"].object_list, (name, query)


def test_the_supervision_staff_register_confirm_and_publish_a_body(people: World) -> None:
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    form = client.get(reverse("enforcement:body_new")).content.decode()
    assert "黔南州人力资源和社会保障局" in form and "安阳市市场监督管理局" not in form and "都匀市人民法院" not in form
    response = client.post(reverse("enforcement:body_new"), {
        "organisation": people.orgs["州人社局"].pk, "legal_basis": "《中华人民共和国劳动法》第八十五条",
        "scope": "劳动保障监察", })  # fmt: skip
    new = EnforcementBody.objects.get(organisation=people.orgs["州人社局"])
    assert response.url == reverse("enforcement:body", args=[new.pk])
    client.post(response.url, {"action": "confirm"})
    client.post(response.url, {"action": "publish"})
    new.refresh_from_db()
    assert (new.state, new.confirmed_on, new.published_on) == ("published", D(2026, 12, 2), D(2026, 12, 2))
    page = client.get(response.url).content.decode()
    assert "执法主体资格已向社会公告" in page
    refused = client.post(reverse("enforcement:body_new"), {
        "organisation": people.orgs["安阳市场监管局"].pk, "legal_basis": "x", "scope": "y"})  # fmt: skip
    assert refused.status_code == 200 and "organisation" in refused.context["form"].errors  # not of the 州
