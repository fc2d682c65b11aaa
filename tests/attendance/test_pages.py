"""The 旁听庭审 pages through the test client: a unit's form (its message on bad input, nothing written), and the
list and compliance pages within a query bound that does not grow with rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.attendance.models import Session
from tests.attendance.conftest import D, attended
from tests.factories import World, make_org

pytestmark = pytest.mark.django_db


def test_a_unit_records_a_session_through_its_form(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["agency_duyun"])
    form = {"case_number": "（2026）黔2701行初5号", "cause": "不服行政处罚", "court": world.orgs["都匀法院"].pk,
            "held_on": "2026-11-20", "mode": "online", "name_1": "李明", "post_1": "股长", "reflection_1": "心得"}  # fmt: skip
    bad = client.post(reverse("attendance:new"), {**form, "name_1": "", "held_on": "2026-11-20"})
    assert bad.status_code == 400 and "请填写姓名" in bad.content.decode() and not Session.objects.exists()
    response = client.post(reverse("attendance:new"), form)
    session = Session.objects.get()
    assert response.url == reverse("attendance:detail", args=[session.pk])
    page = client.get(response.url).content.decode()
    assert "李明" in page and "线上旁听" in page
    listing = client.get(reverse("attendance:list")).content.decode()
    assert "本单位2026年已旁听庭审 <strong>1</strong> 次" in listing and "尚未达标" in listing


def test_the_lists_stay_within_a_query_bound(world: World, clock, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(4):
        attended(world, D(2026, 3, 1 + n), case_number=f"案{n}")
        attended(world, D(2026, 4, 1 + n), case_number=f"福案{n}", by="agency_fuquan")
        make_org(f"黔南州某局{n}", world.regions["黔南州"])
    client = Client()
    client.force_login(world.users["rol_pref"])
    for page in ("attendance:list", "attendance:compliance"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(page))
        assert response.status_code == 200
    client.force_login(world.users["agency_duyun"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("attendance:list")).status_code == 200
