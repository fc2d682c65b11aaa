"""``notify`` puts messages in the outbox once per occasion, however often or concurrently it is called."""

import threading

import pytest
from django.db import connection, connections

from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.workflow import Address, notify
from tests.factories import World

pytestmark = pytest.mark.django_db


def remind(recipients: list, key: str = "hearing:42:reminder_t7", **kw: object) -> None:
    notify(recipients, subject="开庭提醒", body="7日后开庭", dedup_key=key, **kw)  # type: ignore[arg-type]


def test_a_reminder_created_twice_is_one_message(world: World) -> None:
    agency = world.users["agency_duyun"]

    remind([agency])
    remind([agency])

    assert Notification.objects.filter(recipient=agency).count() == 1


def test_each_recipient_and_channel_gets_its_own_message(world: World) -> None:
    agency, office = world.users["agency_duyun"], world.users["rol_duyun"]

    remind([agency, office], channels=(Channel.IN_APP, Channel.EMAIL))
    remind([agency, office], channels=(Channel.IN_APP, Channel.EMAIL))

    rows = set(Notification.objects.values_list("recipient__username", "channel"))
    assert rows == {
        ("agency_duyun", "in_app"), ("agency_duyun", "email"), ("rol_duyun", "in_app"), ("rol_duyun", "email")
    }  # fmt: skip
    assert all(n.state == NotificationState.PENDING for n in Notification.objects.all())


def test_another_occasion_for_the_same_person_is_another_message(world: World) -> None:
    agency = world.users["agency_duyun"]

    remind([agency], key="hearing:42:reminder_t7")
    remind([agency], key="hearing:42:reminder_t1")

    assert Notification.objects.filter(recipient=agency).count() == 2


def test_a_bare_phone_number_is_deduplicated_on_the_number(db: None) -> None:
    remind([Address(phone="13800000001")], channels=(Channel.SMS,))
    remind([Address(phone="13800000001")], channels=(Channel.SMS,))
    remind([Address(phone="13800000002")], channels=(Channel.SMS,))

    assert sorted(Notification.objects.values_list("phone", flat=True)) == ["13800000001", "13800000002"]


def test_a_users_phone_is_taken_from_the_phones_given(world: World) -> None:
    agency = world.users["agency_duyun"]

    remind([agency], channels=(Channel.IN_APP, Channel.SMS), phones={agency.pk: "13800000003"})

    assert dict(Notification.objects.values_list("channel", "phone")) == {"in_app": "", "sms": "13800000003"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_workers_creating_the_same_reminder_at_once_leave_one_message(world: World) -> None:
    agency = world.users["agency_duyun"]
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            remind([agency], channels=(Channel.IN_APP, Channel.EMAIL))
        except BaseException as error:  # pragma: no cover — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Notification.objects.filter(recipient=agency).count() == 2
