"""Leader case-packaging transitions (两包, SPEC §6.4): every path, including the roles that must be refused."""

import pytest

from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Notification
from fuyuan.packaging.models import CasePackage, PackageState
from fuyuan.packaging.workflow import (
    PackageError,
    close_package,
    edit_package,
    record_interview,
    report_progress,
    sweep_packages,
)
from tests.packaging.conftest import D, Packaging, at

pytestmark = pytest.mark.django_db


def subjects(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user, channel="in_app").values_list("subject", flat=True))


def test_county_office_packages_two_cases_to_its_county_leader_who_is_told(pk_world: Packaging) -> None:
    package = pk_world.package()

    assert package.state == PackageState.ACTIVE
    assert package.region == pk_world.world.regions["都匀市"]
    assert sorted(c.number for c in package.cases.all()) == ["（2026）黔2701行初11号", "（2026）黔2701行初12号"]
    assert [e.action for e in timeline(package)] == ["created"]
    assert "李副市长包案化解" in timeline(package)[0].summary
    assert subjects(pk_world.leader_duyun) == ["【领导包案】包案化解"]


def test_prefecture_office_gives_a_supervision_package_to_a_prefecture_leader(pk_world: Packaging) -> None:
    package = pk_world.package(
        kind="supervise",
        leader=pk_world.user("leader_pref"),
        cases=[*pk_world.duyun_cases, pk_world.fuquan_case],
        by=pk_world.user("rol_pref"),
    )

    assert package.get_kind_display() == "包案督促"
    assert package.cases.count() == 3


@pytest.mark.parametrize(
    "name", ["leader_pref", "agency_duyun", "court_duyun", "centre", "coordinator", "discipline", "sysadmin"]
)
def test_only_the_rule_of_law_office_may_create_a_package(pk_world: Packaging, name: str) -> None:
    with pytest.raises(PackageError, match="只有依法治办"):
        pk_world.package(by=pk_world.user(name))
    assert not CasePackage.objects.exists()


def test_a_county_leader_cannot_take_a_supervision_package_nor_a_prefecture_leader_a_resolution_one(
    pk_world: Packaging,
) -> None:
    with pytest.raises(PackageError, match="包案化解由县\\(市\\)领导负责"):
        pk_world.package(kind="supervise")
    with pytest.raises(PackageError, match="包案督促由州级领导负责"):
        pk_world.package(kind="resolve", leader=pk_world.user("leader_pref"), by=pk_world.user("rol_pref"))


def test_a_county_office_cannot_package_to_another_countys_leader_or_cases(pk_world: Packaging) -> None:
    with pytest.raises(PackageError, match="不是本地区的领导"):
        pk_world.package(leader=pk_world.leader_fuquan)
    with pytest.raises(PackageError, match="（2026）黔2702行初7号"):
        pk_world.package(cases=[pk_world.fuquan_case])
    with pytest.raises(PackageError, match="不是领导"):
        pk_world.package(leader=pk_world.user("agency_duyun"))


def test_a_package_needs_cases_a_goal_and_a_future_due_date(pk_world: Packaging) -> None:
    with pytest.raises(PackageError, match="至少选择一件案件"):
        pk_world.package(cases=[])
    with pytest.raises(PackageError, match="化解目标"):
        pk_world.package(goal="  ")
    with pytest.raises(PackageError, match="完成期限不能早于今天"):
        pk_world.package(due_on=D(2026, 3, 1))
    assert not CasePackage.objects.exists()


def test_the_leader_reports_progress_and_the_office_is_told(pk_world: Packaging) -> None:
    package = pk_world.package()

    report = report_progress(
        package, text="已召开专班会议，原告同意协商", by=pk_world.leader_duyun, now=at(D(2026, 3, 20))
    )

    package.refresh_from_db()
    assert report.reported_on == D(2026, 3, 20)
    assert package.last_activity_on == D(2026, 3, 20)
    assert timeline(package).last().summary == "报送2026年3月进展"  # type: ignore[union-attr]
    assert subjects(pk_world.user("rol_duyun")) == ["【领导包案】进展报送"]


@pytest.mark.parametrize("name", ["leader_pref", "leader_fuquan", "agency_duyun", "rol_pref_other"])
def test_only_the_packages_leader_or_its_office_reports_progress(pk_world: Packaging, name: str) -> None:
    package = pk_world.package()
    users = {**pk_world.world.users, "leader_fuquan": pk_world.leader_fuquan}
    if name == "rol_pref_other":
        # The 福泉 office manages nothing of 都匀's.
        from fuyuan.core.models import Role
        from tests.factories import make_user

        users[name] = make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=pk_world.world.regions["福泉市"])
    with pytest.raises(PackageError, match="只有包案领导或本地区依法治办"):
        report_progress(package, text="进展", by=users[name], now=at(D(2026, 3, 20)))


def test_the_prefecture_office_may_enter_progress_for_a_county_package(pk_world: Packaging) -> None:
    package = pk_world.package()
    report_progress(package, text="调度会上口头汇报", by=pk_world.user("rol_pref"), now=at(D(2026, 3, 20)))
    assert package.progress.count() == 1


def test_empty_or_future_progress_is_refused(pk_world: Packaging) -> None:
    package = pk_world.package()
    with pytest.raises(PackageError, match="请填写进展情况"):
        report_progress(package, text=" ", by=pk_world.leader_duyun, now=at(D(2026, 3, 20)))
    with pytest.raises(PackageError, match="不能晚于今天"):
        report_progress(package, text="x", reported_on=D(2026, 3, 21), by=pk_world.leader_duyun, now=at(D(2026, 3, 20)))


def test_a_package_without_progress_for_a_month_is_lagging_and_a_report_clears_it(pk_world: Packaging) -> None:
    package = pk_world.package()  # created 2 March

    assert not package.is_lagging(D(2026, 4, 2))
    assert package.is_lagging(D(2026, 4, 3))
    assert package.lag_reason(D(2026, 4, 3)) == "一个月内未报送进展（最近 2026-03-02）"
    report_progress(package, text="协商中", by=pk_world.leader_duyun, now=at(D(2026, 4, 3)))
    assert not package.is_lagging(D(2026, 4, 3))


def test_a_package_past_its_due_date_is_lagging_whatever_its_progress(pk_world: Packaging) -> None:
    package = pk_world.package(due_on=D(2026, 3, 10))
    report_progress(package, text="协商中", by=pk_world.leader_duyun, now=at(D(2026, 3, 11)))

    assert package.is_lagging(D(2026, 3, 11))
    assert package.lag_reason(D(2026, 3, 11)) == "已超过完成期限（2026-03-10）"


def test_the_office_records_an_interview_of_a_lagging_package(pk_world: Packaging) -> None:
    package = pk_world.package()

    interview = record_interview(
        package,
        held_on=D(2026, 4, 10),
        interviewer="都匀市依法治办主任",
        interviewee="都匀市李副市长",
        conclusions="两周内召开专班会议",
        by=pk_world.user("rol_duyun"),
        now=at(D(2026, 4, 10)),
    )

    assert interview.conclusions == "两周内召开专班会议"
    event = timeline(package).last()
    assert event is not None and event.action == "interviewed"
    assert "一个月内未报送进展" in event.summary
    assert "【领导包案】约谈记录" in subjects(pk_world.leader_duyun)


def test_an_interview_is_refused_when_the_package_is_not_lagging_or_the_record_is_incomplete(
    pk_world: Packaging,
) -> None:
    package = pk_world.package()
    kw = {"held_on": D(2026, 3, 10), "interviewer": "主任", "interviewee": "李副市长", "conclusions": "按期推进"}
    with pytest.raises(PackageError, match="未落后"):
        record_interview(package, **kw, by=pk_world.user("rol_duyun"), now=at(D(2026, 3, 10)))  # type: ignore[arg-type]
    with pytest.raises(PackageError, match="约谈结论"):
        record_interview(package, **{**kw, "conclusions": ""}, by=pk_world.user("rol_duyun"), now=at(D(2026, 4, 10)))  # type: ignore[arg-type]
    assert not package.interviews.exists()


@pytest.mark.parametrize("name", ["leader_duyun", "leader_pref", "agency_duyun"])
def test_leaders_and_others_cannot_record_interviews_edit_or_close(pk_world: Packaging, name: str) -> None:
    package = pk_world.package()
    user = pk_world.leader_duyun if name == "leader_duyun" else pk_world.user(name)
    later = at(D(2026, 4, 10))
    with pytest.raises(PackageError, match="依法治办"):
        record_interview(
            package, held_on=D(2026, 4, 10), interviewer="a", interviewee="b", conclusions="c", by=user, now=later
        )
    with pytest.raises(PackageError, match="依法治办"):
        close_package(package, state="resolved", note="", by=user, now=later)
    with pytest.raises(PackageError, match="依法治办"):
        edit_package(package, goal="x", due_on=D(2026, 7, 1), cases=pk_world.duyun_cases, by=user, now=later)


def test_the_office_edits_goal_due_date_and_cases_with_the_change_on_the_timeline(pk_world: Packaging) -> None:
    package = pk_world.package()

    edit_package(package, goal="促成调解", due_on=D(2026, 7, 31), cases=pk_world.duyun_cases[:1],
                 by=pk_world.user("rol_duyun"), now=at(D(2026, 3, 5)))  # fmt: skip

    package.refresh_from_db()
    assert (package.goal, package.due_on, package.cases.count()) == ("促成调解", D(2026, 7, 31), 1)
    event = timeline(package).last()
    assert event is not None and event.changes["完成期限"] == ["2026-06-30", "2026-07-31"]


def test_the_office_closes_a_package_as_resolved_and_nothing_more_can_be_done(pk_world: Packaging) -> None:
    package = pk_world.package()

    close_package(package, state="resolved", note="", by=pk_world.user("rol_duyun"), now=at(D(2026, 5, 1)))

    package.refresh_from_db()
    assert package.state == PackageState.RESOLVED and package.closed_at is not None
    assert "【领导包案】已化解" in subjects(pk_world.leader_duyun)
    with pytest.raises(PackageError, match="当前状态为“已化解”，不能报送进展"):
        report_progress(package, text="x", by=pk_world.leader_duyun, now=at(D(2026, 5, 2)))
    with pytest.raises(PackageError, match="不能结束"):
        close_package(package, state="withdrawn", note="重复", by=pk_world.user("rol_duyun"), now=at(D(2026, 5, 2)))


@pytest.mark.parametrize("state", ["unresolved", "withdrawn"])
def test_closing_unresolved_or_withdrawing_needs_a_reason(pk_world: Packaging, state: str) -> None:
    package = pk_world.package()
    with pytest.raises(PackageError, match="请写明理由"):
        close_package(package, state=state, note="", by=pk_world.user("rol_duyun"), now=at(D(2026, 5, 1)))
    close_package(package, state=state, note="原告坚持诉讼", by=pk_world.user("rol_duyun"), now=at(D(2026, 5, 1)))
    package.refresh_from_db()
    assert package.state == state
    assert timeline(package).last().action == ("withdrawn" if state == "withdrawn" else "closed")  # type: ignore[union-attr]


def test_the_dispatch_reminder_goes_once_a_month_to_the_leader_and_the_office(pk_world: Packaging) -> None:
    package = pk_world.package()  # created in March: March counts as reminded

    assert sweep_packages(at(D(2026, 3, 20))).reminded == 0
    april = sweep_packages(at(D(2026, 4, 1), 8))
    again = sweep_packages(at(D(2026, 4, 1), 9))
    later = sweep_packages(at(D(2026, 4, 30)))
    may = sweep_packages(at(D(2026, 5, 1)))

    assert (april.reminded, again.reminded, later.reminded, may.reminded) == (1, 0, 0, 1)
    assert subjects(pk_world.leader_duyun).count("【领导包案】按月调度") == 2
    assert subjects(pk_world.user("rol_duyun")).count("【领导包案】按月调度") == 2
    keys = set(Notification.objects.filter(subject="【领导包案】按月调度").values_list("dedup_key", flat=True))
    assert keys == {f"package:{package.pk}:dispatch:2026-04", f"package:{package.pk}:dispatch:2026-05"}
    assert Event.objects.filter(action="dispatch_reminded").count() == 2


def test_closed_packages_get_no_dispatch_reminder_and_the_idle_sweep_is_one_query(
    pk_world: Packaging, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    package = pk_world.package()
    close_package(package, state="resolved", note="", by=pk_world.user("rol_duyun"), now=at(D(2026, 3, 20)))

    with django_assert_num_queries(1):
        assert sweep_packages(at(D(2026, 4, 1))).reminded == 0


def test_a_lagging_package_s_reminder_says_so(pk_world: Packaging) -> None:
    pk_world.package()
    sweep_packages(at(D(2026, 4, 10)))
    body = Notification.objects.get(
        recipient=pk_world.leader_duyun, subject="【领导包案】按月调度", channel="in_app"
    ).body
    assert "已落后：一个月内未报送进展" in body
