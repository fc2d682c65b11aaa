import datetime

import pytest

from fuyuan.core.models import Event, HeadPost, RegionLevel
from fuyuan.core.queries import county_map, organisations_visible_to, regions_visible_to
from fuyuan.core.timeline import record_event, timeline
from tests.factories import World, make_head, make_region


def test_a_region_subtree_holds_itself_and_every_descendant_and_nothing_else(world: World) -> None:
    township = make_region("墨冲镇", RegionLevel.TOWNSHIP, world.regions["都匀市"])

    names = set(world.regions["黔南州"].subtree().values_list("name", flat=True))

    assert names == {"黔南州", "都匀市", "福泉市", "墨冲镇"}
    assert township.path.startswith(world.regions["都匀市"].path)


def test_a_township_belongs_to_its_county_and_a_prefecture_is_its_own_county(world: World) -> None:
    township = make_region("墨冲镇", RegionLevel.TOWNSHIP, world.regions["都匀市"])

    assert township.county() == world.regions["都匀市"]
    assert world.regions["黔南州"].county() == world.regions["黔南州"]
    mapping = county_map()
    assert mapping[township.pk] == world.regions["都匀市"].pk
    assert mapping[world.regions["福泉市"].pk] == world.regions["福泉市"].pk


def test_the_heads_roster_on_a_day_holds_only_heads_in_office_that_day(world: World) -> None:
    bureau = world.orgs["都匀自然资源局"]
    make_head(bureau, "李前任", HeadPost.DEPUTY, valid_to=datetime.date(2021, 6, 30))
    make_head(bureau, "赵继任", HeadPost.DEPUTY, valid_from=datetime.date(2021, 7, 1))

    assert set(bureau.heads_on(datetime.date(2021, 6, 30)).values_list("name", flat=True)) == {"王局长", "李前任"}
    assert set(bureau.heads_on(datetime.date(2021, 7, 1)).values_list("name", flat=True)) == {"王局长", "赵继任"}


def test_a_county_user_chooses_only_regions_and_organisations_of_their_county(world: World) -> None:
    user = world.users["rol_duyun"]

    assert set(regions_visible_to(user).values_list("name", flat=True)) == {"都匀市"}
    orgs = set(organisations_visible_to(user).values_list("name", flat=True))
    assert "都匀市自然资源局" in orgs
    assert "福泉市公安局" not in orgs


def test_the_three_administrators_choose_no_region(world: World) -> None:
    for name in ("sysadmin", "secadmin", "auditadmin"):
        assert not regions_visible_to(world.users[name]).exists()


def test_an_event_can_be_neither_changed_nor_deleted(world: World) -> None:
    bureau = world.orgs["都匀自然资源局"]
    event = record_event(bureau, by=world.users["rol_duyun"], action="noted", summary="测试事件")

    event.summary = "篡改"
    with pytest.raises(ValueError, match="不可修改"):
        event.save()
    with pytest.raises(ValueError, match="不可删除"):
        event.delete()
    assert [e.summary for e in timeline(bureau)] == ["测试事件"]
    assert Event.objects.get().who == "rol_duyun"
