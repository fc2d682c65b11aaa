"""对标数据 (SPEC §4): the 州 依法治办 enters the 全省平均/全国平均 of a rate for a year with its source; the seeds'
2021 全省平均 (SPEC §8: 纠错率 14.05%, 败诉率 22.33%, 出庭率 73.99%) are shown by year; every change is on the
timeline as old → new; leaders read; everyone else is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.stats.models import Benchmark, benchmarks_for
from fuyuan.stats.workflow import BenchmarkError, record_benchmark
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

SOURCE = "省司法厅《2021年全省行政复议行政应诉工作情况通报》"
SEED_2021 = [("correction_rate", "14.05"), ("loss_rate", "22.33"), ("appearance_rate", "73.99")]


def as_user(client: Client, world: World, name: str) -> Client:
    assert client.login(username=world.users[name].username, password=PASSWORD)
    return client


def enter(client: Client, rate: str, value: str, *, year: int = 2021, scope: str = "province", source: str = SOURCE):
    return client.post(
        "/stats/benchmarks/new/", {"year": year, "rate": rate, "scope": scope, "value": value, "source": source}
    )


def test_the_prefecture_office_enters_the_2021_provincial_averages_and_the_list_shows_them(
    client: Client, world: World
) -> None:
    c = as_user(client, world, "rol_pref")
    for rate, value in SEED_2021:
        assert enter(c, rate, value).status_code == 302

    page = c.get("/stats/benchmarks/?year=2021").content.decode()

    for value in ("14.05%", "22.33%", "73.99%"):
        assert value in page
    assert page.count(f"来源：{SOURCE}") == 3
    found = benchmarks_for(2021)
    assert str(found["loss_rate"]["province"].value) == "22.33"
    assert "nation" not in found["loss_rate"]
    assert page.count("未录入") == 5  # 4 rates × 2 scopes, 3 entered


@pytest.mark.parametrize(
    ("value", "source", "message"),
    [
        ("100.01", SOURCE, "数值不能大于 100"),
        ("-1", SOURCE, "数值不能小于 0"),
        ("22.333", SOURCE, "最多保留两位小数"),
        ("百分之二十", SOURCE, "请输入数字"),
        ("22.33", "", "请填写来源"),
    ],
)
def test_a_value_outside_0_to_100_or_without_a_source_is_refused_on_the_form(
    client: Client, world: World, value: str, source: str, message: str
) -> None:
    response = enter(as_user(client, world, "rol_pref"), "loss_rate", value, source=source)

    assert response.status_code == 200 and message in response.content.decode()
    assert not Benchmark.objects.exists()


def test_the_same_year_rate_and_scope_twice_is_refused_with_what_to_do(client: Client, world: World) -> None:
    c = as_user(client, world, "rol_pref")
    enter(c, "loss_rate", "22.33")

    again = enter(c, "loss_rate", "22.00")

    assert "已录入2021年全省平均败诉率 22.33%，请在列表中修改该条" in again.content.decode()
    assert str(Benchmark.objects.get().value) == "22.33"


def test_a_change_writes_who_when_and_old_to_new_on_the_timeline(client: Client, world: World) -> None:
    c = as_user(client, world, "rol_pref")
    enter(c, "loss_rate", "22.00")
    benchmark = Benchmark.objects.get()

    c.post(
        f"/stats/benchmarks/{benchmark.pk}/",
        {"year": 2021, "rate": "loss_rate", "scope": "province", "value": "22.33", "source": SOURCE + "（更正）"},
    )

    events = list(timeline(benchmark))
    assert [e.action for e in events] == ["benchmark_entered", "benchmark_changed"]
    assert events[1].actor == world.users["rol_pref"]
    assert events[1].changes == {"数值": ["22.00%", "22.33%"], "来源": [SOURCE, SOURCE + "（更正）"]}
    page = c.get(f"/stats/benchmarks/{benchmark.pk}/").content.decode()
    assert "22.00%" in page and "22.33%" in page and "修改记录" in page


@pytest.mark.parametrize(
    ("persona", "list_status", "new_status"),
    [
        ("rol_pref", 200, 200),
        ("leader_pref", 200, 403),
        ("rol_duyun", 200, 403),  # a county office reads the averages but does not enter them
        ("agency_duyun", 403, 403),
        ("court_duyun", 403, 403),
        ("recon_pref", 403, 403),
        ("centre", 403, 403),
        ("coordinator", 403, 403),
        ("sysadmin", 403, 403),
    ],
)
def test_only_the_prefecture_office_enters_leaders_read_others_are_refused(
    client: Client, world: World, persona: str, list_status: int, new_status: int
) -> None:
    c = as_user(client, world, persona)

    assert c.get("/stats/benchmarks/").status_code == list_status
    assert c.get("/stats/benchmarks/new/").status_code == new_status
    assert enter(c, "loss_rate", "22.33").status_code in ((302,) if new_status == 200 else (403,))


def test_the_list_reads_a_fixed_number_of_queries(client: Client, world: World, django_assert_max_num_queries) -> None:
    c = as_user(client, world, "rol_pref")
    for year in (2020, 2021, 2022):
        for rate, value in SEED_2021:
            for scope in ("province", "nation"):
                enter(c, rate, value, year=year, scope=scope)
    c.get("/stats/benchmarks/?year=2021")

    with django_assert_max_num_queries(8):
        page = c.get("/stats/benchmarks/?year=2021").content.decode()

    assert page.count('data-testid="benchmark-value"') == 6
    assert "2020年" in page and "2022年" in page


def test_the_workflow_refuses_a_county_office_and_writes_nothing(world: World) -> None:
    with pytest.raises(BenchmarkError, match="对标数据由州（市）级以上依法治办录入"):
        record_benchmark(
            None,
            year=2021,
            rate="loss_rate",
            scope="province",
            value=Decimal("22.33"),
            source=SOURCE,
            by=world.users["rol_duyun"],
        )

    assert not Benchmark.objects.exists() and not Event.objects.filter(action__startswith="benchmark").exists()


def test_saving_an_entry_unchanged_writes_no_second_event(client: Client, world: World) -> None:
    c = as_user(client, world, "rol_pref")
    enter(c, "loss_rate", "22.33")
    benchmark = Benchmark.objects.get()

    response = c.post(
        f"/stats/benchmarks/{benchmark.pk}/",
        {"year": 2021, "rate": "loss_rate", "scope": "province", "value": "22.33", "source": SOURCE},
    )

    assert response.status_code == 302
    assert [e.action for e in timeline(benchmark)] == ["benchmark_entered"]
