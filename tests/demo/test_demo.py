"""``fuyuan demo``: the demo prefecture 云岭州 that ``make run`` loads into an empty database."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from fuyuan.cases.choices import CaseKind, Instance, outcome_choices
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, OrganisationHead, Region, RegionLevel, Role, User
from fuyuan.demo.generator import DEMO_PASSWORD, generate_demo

SMALL = "600"
pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """What a user would compare between two runs: numbers, outcomes, dates and chains."""
    rows = Case.objects.order_by("number").values_list(
        "number", "outcome", "filed_on", "hearing_on", "received_on", "accepted_on", "concluded_on",
        "predecessor__number", "defendant__name",
    )  # fmt: skip
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def digest_of_a_fresh_demo(seed: int) -> str:
    """Generate into the empty database, take the digest, and roll the generation back."""
    with transaction.atomic():
        generate_demo(seed=seed, cases=int(SMALL))
        result = digest()
        transaction.set_rollback(True)
    return result


def test_every_role_has_a_demo_user_who_logs_in_with_the_printed_password() -> None:
    output = demo("--cases", SMALL)

    for role in Role:
        users = User.objects.filter(role=role)
        assert users.exists(), f"no demo user for {role.label}"
        user = users.first()
        assert user is not None
        assert Client().login(username=user.username, password=DEMO_PASSWORD), user.username
        assert user.username in output
    assert DEMO_PASSWORD in output
    assert "用户名" in output and "范围" in output


def test_the_system_administrator_runs_the_admin_site_but_has_no_right_on_cases() -> None:
    demo("--cases", SMALL)
    client = Client()
    client.login(username="sysadmin", password=DEMO_PASSWORD)
    admin = User.objects.get(username="sysadmin")

    assert client.get("/admin/core/organisation/").status_code == 200
    assert admin.has_perm("core.change_organisationhead")
    assert not any(p.startswith("cases.") for p in admin.get_all_permissions())


def test_the_same_seed_gives_the_same_cases_and_another_seed_does_not() -> None:
    first = digest_of_a_fresh_demo(7)
    again = digest_of_a_fresh_demo(7)
    other = digest_of_a_fresh_demo(8)

    assert first == again
    assert first != other


def test_if_empty_on_a_populated_database_adds_nothing_but_prints_the_logins() -> None:
    demo("--cases", SMALL)
    counts = (Region.objects.count(), Case.objects.count(), User.objects.count(), Event.objects.count())

    output = demo("--if-empty")

    assert (Region.objects.count(), Case.objects.count(), User.objects.count(), Event.objects.count()) == counts
    assert "跳过" in output
    assert "zfb_zhou" in output and DEMO_PASSWORD in output


def test_if_empty_on_an_empty_database_generates_the_demo() -> None:
    output = demo("--if-empty", "--cases", SMALL)

    assert 0.95 * int(SMALL) <= Case.objects.count() <= int(SMALL)
    assert "已生成演示数据" in output


def test_without_if_empty_a_populated_database_is_refused_in_one_line() -> None:
    Region.objects.create(name="真实地区", level=RegionLevel.PREFECTURE)

    with pytest.raises(CommandError) as refused:
        demo("--cases", SMALL)

    assert "已有数据" in str(refused.value) and "\n" not in str(refused.value)
    assert not Case.objects.exists()


def test_reconsideration_outnumbers_first_instance_litigation_about_two_and_a_half_to_one() -> None:
    demo("--cases", SMALL)

    reconsideration = Case.objects.filter(kind=CaseKind.RECONSIDERATION).count()
    first_instance = Case.objects.filter(kind=CaseKind.LITIGATION, instance=Instance.FIRST).count()

    assert 2.2 < reconsideration / first_instance < 2.8
    assert Case.objects.filter(instance=Instance.SECOND, predecessor__instance=Instance.FIRST).exists()
    assert Case.objects.filter(instance=Instance.FIRST, predecessor__kind=CaseKind.RECONSIDERATION).exists()
    assert Event.objects.filter(summary="演示数据生成", actor_label="演示数据").count() == Case.objects.count()


def test_no_demo_case_breaks_the_rules_of_a_case() -> None:
    demo("--cases", SMALL)

    for case in Case.objects.select_related("defendant", "predecessor"):
        assert (case.concluded_on is None) == (case.outcome == ""), case.number
        if case.outcome:
            assert case.outcome in outcome_choices(case.kind).values, case.number
        dates = [case.received_on, case.accepted_on, case.filed_on, case.complaint_served_on, case.hearing_on,
                 case.concluded_on, case.judgment_served_on, case.effective_on]  # fmt: skip
        present = [d for d in dates if d is not None]
        assert present == sorted(present), case.number
        if case.predecessor is not None:
            assert case.predecessor.concluded_on is not None
            start = case.filed_on or case.received_on
            assert start is not None and case.predecessor.concluded_on <= start, case.number
        if case.head_appeared:
            name = case.appeared_head.split("（")[0]
            roster = OrganisationHead.objects.filter(organisation=case.defendant, name=name)
            assert any(h.valid_from <= case.hearing_on and (h.valid_to is None or h.valid_to >= case.hearing_on)
                       for h in roster if case.hearing_on), case.number  # fmt: skip


def test_every_county_has_cases_placed_in_it() -> None:
    demo("--cases", SMALL)

    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    assert counties.count() == 8
    for county in counties:
        assert Case.objects.filter(county=county).count() > 10, county.name
    for case in Case.objects.select_related("defendant__region")[:50]:
        assert case.region_id == case.defendant.region_id
