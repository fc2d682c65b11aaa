"""集中受理 checks: an application already on file, and the cases it may concern."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import CaseKind
from fuyuan.disputes.intake import possible_duplicates, related_cases, similar
from tests.factories import World, make_case, make_dispute

pytestmark = pytest.mark.django_db

MATTER = "不服都匀市自然资源局作出的集体土地征收补偿安置方案，要求提高补偿标准"


@pytest.fixture
def on_file(world: World):
    return make_dispute(
        world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="王伟、李娜、张敏", matter=MATTER
    )


def test_the_same_matter_reworded_by_one_of_several_applicants_is_found(world: World, on_file) -> None:
    found = possible_duplicates(
        applicants="李娜",
        agency=world.orgs["都匀自然资源局"],
        matter="对征地补偿安置方案不服，请求提高补偿标准",
    )

    assert found == [on_file]


def test_an_applicant_among_many_written_with_a_count_is_found(world: World, on_file) -> None:
    found = possible_duplicates(applicants="张敏等12人", agency=world.orgs["都匀自然资源局"], matter=MATTER)

    assert found == [on_file]


def test_the_same_people_and_matter_against_another_agency_is_not_a_duplicate(world: World, on_file) -> None:
    assert possible_duplicates(applicants="李娜", agency=world.orgs["福泉公安局"], matter=MATTER) == []


def test_an_unrelated_matter_of_the_same_people_and_agency_is_not_a_duplicate(world: World, on_file) -> None:
    found = possible_duplicates(
        applicants="李娜",
        agency=world.orgs["都匀自然资源局"],
        matter="不服都匀市自然资源局作出的宅基地不动产登记行为",
    )

    assert found == []


def test_the_same_matter_of_other_people_is_not_a_duplicate(world: World, on_file) -> None:
    assert possible_duplicates(applicants="赵强", agency=world.orgs["都匀自然资源局"], matter=MATTER) == []
    assert possible_duplicates(applicants="", agency=world.orgs["都匀自然资源局"], matter=MATTER) == []


def test_a_name_inside_a_longer_name_is_not_the_same_applicant(world: World) -> None:
    make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="王伟强", matter=MATTER)

    assert possible_duplicates(applicants="王伟", agency=world.orgs["都匀自然资源局"], matter=MATTER) == []


def test_the_agencys_name_and_filler_words_do_not_make_two_matters_alike() -> None:
    agency = "都匀市自然资源局"

    assert not similar(f"不服{agency}作出的罚款决定", f"不服{agency}作出的不动产登记行为", ignore=[agency])
    assert similar("房屋被强制拆除，要求赔偿损失", "要求对被强制拆除的房屋给予赔偿")
    assert not similar("", "不服罚款决定")


def test_related_cases_are_the_cases_of_an_applicant_against_the_same_agency(world: World) -> None:
    agency = world.orgs["都匀自然资源局"]
    lawsuit = make_case(defendant=agency, plaintiffs="李娜、周杰等5人")
    reconsideration = make_case(CaseKind.RECONSIDERATION, defendant=agency, plaintiffs="李娜")
    make_case(defendant=world.orgs["福泉公安局"], plaintiffs="李娜")  # another agency
    make_case(defendant=agency, plaintiffs="赵强")  # another plaintiff
    make_case(defendant=agency, plaintiffs="王伟强、孙丽")  # a longer name

    related = related_cases(applicants="王伟、李娜", agency=agency)

    assert set(related) == {lawsuit, reconsideration}
    assert list(related_cases(applicants="", agency=agency)) == []
