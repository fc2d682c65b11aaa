"""A case edit made on a stale copy is refused and shows the other user's change beside the user's own values,
with the form re-rendered on the latest version so the user can re-apply knowingly (issue 7 §6)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.core.timeline import timeline
from tests.cases.test_workflow import edit_data, logged_in
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def field_value(html: str, name: str) -> str:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>(?:([^<]*)</textarea>)?', html)
    assert tag, name
    if tag.group(1) is not None:
        return tag.group(1).strip()
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def row_of(html: str, label: str) -> str:
    table = html.split('data-testid="stale-fields"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<tr[^>]*>\s*<th[^>]*>{label}</th>(.*?)</tr>", table, re.S)
    assert row, label
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


@pytest.fixture
def opened(world: World) -> Case:
    """A case whose edit form the court liaison opened at version 1."""
    return make_case(
        number="（2021）黔2701行初61号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )


def test_a_stale_edit_names_who_changed_what_and_when_and_saves_nothing(world: World, opened: Case) -> None:
    update_case(
        Case.objects.get(pk=opened.pk),
        {"plaintiffs": "李四", "third_parties": "某村民委员会"},
        by=world.users["rol_duyun"],
    )

    response = logged_in("court_duyun").post(
        reverse("cases:edit", args=[opened.pk]), edit_data(world, opened, plaintiffs="张三")
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "此案件已被他人修改，您的修改未保存" in html
    events = html.split('data-testid="stale-events"', 1)[1].split("</ul>\n", 1)[0]
    assert "rol_duyun" in events
    assert re.search(r"于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", events)
    assert "原告/申请人：" in events and "李四" in events
    assert row_of(html, "原告") == "（空） 李四 张三 保留您的值，请核对"
    case = Case.objects.get(pk=opened.pk)
    assert (case.plaintiffs, case.version) == ("李四", 2)
    assert [e.who for e in timeline(case)] == ["rol_duyun"]


def test_the_refused_form_keeps_the_users_values_on_the_latest_version(world: World, opened: Case) -> None:
    update_case(Case.objects.get(pk=opened.pk), {"third_parties": "某村民委员会"}, by=world.users["rol_duyun"])

    response = logged_in("court_duyun").post(
        reverse("cases:edit", args=[opened.pk]), edit_data(world, opened, plaintiffs="张三")
    )

    html = response.content.decode()
    assert field_value(html, "expected_version") == "2"
    assert field_value(html, "plaintiffs") == "张三"
    # The user left 第三人 as it was, so the form takes the other user's value: saving never reverts it.
    assert field_value(html, "third_parties") == "某村民委员会"
    assert row_of(html, "第三人") == "（空） 某村民委员会 （空） 采用对方的修改"
    assert "在最新版本上保存我的修改" in html


def test_saving_the_re_rendered_form_applies_the_users_edit_on_top_of_the_other(world: World, opened: Case) -> None:
    update_case(Case.objects.get(pk=opened.pk), {"third_parties": "某村民委员会"}, by=world.users["rol_duyun"])
    client = logged_in("court_duyun")
    html = client.post(
        reverse("cases:edit", args=[opened.pk]), edit_data(world, opened, plaintiffs="张三")
    ).content.decode()

    response = client.post(
        reverse("cases:edit", args=[opened.pk]),
        edit_data(
            world,
            opened,
            plaintiffs=field_value(html, "plaintiffs"),
            third_parties=field_value(html, "third_parties"),
            expected_version=field_value(html, "expected_version"),
        ),
    )

    assert response.status_code == 302
    case = Case.objects.get(pk=opened.pk)
    assert (case.plaintiffs, case.third_parties, case.version) == ("张三", "某村民委员会", 3)
    assert [(e.who, e.changes) for e in timeline(case)] == [
        ("rol_duyun", {"第三人": ["（空）", "某村民委员会"]}),
        ("court_duyun", {"原告/申请人": ["（空）", "张三"]}),
    ]


def test_every_change_since_the_form_was_opened_is_listed_oldest_first(world: World, opened: Case) -> None:
    update_case(Case.objects.get(pk=opened.pk), {"plaintiffs": "李四"}, by=world.users["rol_duyun"])
    update_case(Case.objects.get(pk=opened.pk), {"plaintiffs": "王五"}, by=world.users["rol_pref"])

    html = (
        logged_in("court_duyun")
        .post(reverse("cases:edit", args=[opened.pk]), edit_data(world, opened, plaintiffs="张三"))
        .content.decode()
    )

    events = html.split('data-testid="stale-events"', 1)[1]
    assert events.index("rol_duyun") < events.index("rol_pref")
    assert "被修改了 2 次" in html
    assert row_of(html, "原告") == "（空） 王五 张三 保留您的值，请核对"
    assert field_value(html, "expected_version") == "3"


def test_a_form_re_rendered_on_a_version_that_is_stale_again_is_refused_again(world: World, opened: Case) -> None:
    update_case(Case.objects.get(pk=opened.pk), {"third_parties": "某村民委员会"}, by=world.users["rol_duyun"])
    client = logged_in("court_duyun")
    client.post(reverse("cases:edit", args=[opened.pk]), edit_data(world, opened, plaintiffs="张三"))
    update_case(Case.objects.get(pk=opened.pk), {"plaintiffs": "赵六"}, by=world.users["rol_pref"])

    response = client.post(
        reverse("cases:edit", args=[opened.pk]),
        edit_data(world, opened, plaintiffs="张三", third_parties="某村民委员会", expected_version="2"),
    )

    assert response.status_code == 409
    assert row_of(response.content.decode(), "原告") == "（空） 赵六 张三 保留您的值，请核对"
    assert Case.objects.get(pk=opened.pk).plaintiffs == "赵六"


def test_an_edit_posted_without_the_version_it_was_opened_at_is_refused(world: World, opened: Case) -> None:
    data = edit_data(world, opened, plaintiffs="张三")
    del data["expected_version"]

    response = logged_in("court_duyun").post(reverse("cases:edit", args=[opened.pk]), data)

    assert response.status_code == 409
    assert "表单缺少版本号，您的修改未保存" in response.content.decode()
    assert Case.objects.get(pk=opened.pk).plaintiffs == ""
