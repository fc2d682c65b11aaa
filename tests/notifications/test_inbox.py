"""我的消息: a user sees their own in-app messages, the unread count, and can mark them read."""

import pytest
from django.test import Client

from fuyuan.core.models import User
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.workflow import notify
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def message(
    user: User, subject: str, key: str, link: str = "", channels: tuple[str, ...] = (Channel.IN_APP,)
) -> Notification:
    notify([user], subject=subject, body="请及时处理", link=link, dedup_key=key, channels=channels)
    return Notification.objects.get(recipient=user, dedup_key=key, channel=Channel.IN_APP)


def logged_in(client: Client, username: str) -> Client:
    client.login(username=username, password=PASSWORD)
    return client


def test_the_inbox_shows_only_the_users_own_messages_newest_first(client: Client, world: World) -> None:
    message(world.users["agency_duyun"], "开庭通知：都匀市自然资源局", "hearing:1:notice")
    message(world.users["agency_duyun"], "开庭提醒：7日后开庭", "hearing:1:t7")
    message(world.users["agency_fuquan"], "开庭通知：福泉市公安局", "hearing:2:notice")

    html = logged_in(client, "agency_duyun").get("/notifications/").content.decode()

    assert html.index("开庭提醒：7日后开庭") < html.index("开庭通知：都匀市自然资源局")
    assert "福泉市公安局" not in html
    assert 'data-testid="unread-count">2<' in html
    assert "未读 2 条" in html


def test_an_email_copy_is_not_listed_in_the_inbox(client: Client, world: World) -> None:
    message(world.users["agency_duyun"], "开庭通知", "hearing:1:notice", channels=(Channel.IN_APP, Channel.EMAIL))

    html = logged_in(client, "agency_duyun").get("/notifications/").content.decode()

    assert html.count('data-testid="notification"') == 1


def test_opening_a_message_marks_it_read_and_goes_to_its_link(client: Client, world: World) -> None:
    note = message(world.users["agency_duyun"], "开庭通知", "hearing:1:notice", link="/cases/")

    response = logged_in(client, "agency_duyun").post(f"/notifications/{note.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "未读 0 条" in client.get("/notifications/").content.decode()


def test_someone_elses_message_cannot_be_marked_read(client: Client, world: World) -> None:
    note = message(world.users["agency_fuquan"], "开庭通知", "hearing:2:notice")

    response = logged_in(client, "agency_duyun").post(f"/notifications/{note.pk}/read/")

    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_clears_the_bell(client: Client, world: World) -> None:
    for i in range(3):
        message(world.users["agency_duyun"], f"开庭提醒{i}", f"hearing:{i}:t1")
    message(world.users["agency_fuquan"], "开庭通知", "hearing:9:notice")

    response = logged_in(client, "agency_duyun").post("/notifications/read-all/", follow=True)

    html = response.content.decode()
    assert "已将 3 条消息标为已读" in html
    assert 'data-testid="unread-count"' not in html
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_bell_count_is_on_every_page(client: Client, world: World) -> None:
    message(world.users["court_duyun"], "开庭通知已送达", "hearing:1:notice")

    html = logged_in(client, "court_duyun").get("/deadlines/calculator/").content.decode()

    assert 'data-testid="unread-count">1<' in html


def test_the_inbox_reads_a_fixed_number_of_queries(client: Client, world: World, django_assert_max_num_queries) -> None:
    user = world.users["agency_duyun"]
    for i in range(60):
        message(user, f"开庭提醒{i}", f"hearing:{i}:t7", link=f"/hearings/{i}/")
    logged_in(client, "agency_duyun")

    with django_assert_max_num_queries(6):
        response = client.get("/notifications/")

    assert response.content.decode().count('data-testid="notification"') == 50
    assert "第 1 / 2 页" in response.content.decode()
