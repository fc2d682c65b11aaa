from io import StringIO

import pytest
from django.core.management import call_command

from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.workflow import Address, notify

pytestmark = pytest.mark.django_db


def test_the_command_sends_the_due_messages_and_says_how_many(mailoutbox: list) -> None:
    notify(
        [Address(email="a@example.com"), Address(email="b@example.com")],
        subject="开庭通知",
        body="请按时出庭",
        dedup_key="hearing:1:notice",
        channels=(Channel.EMAIL,),
    )
    out = StringIO()

    call_command("send_notifications", stdout=out)

    assert "已发送 2 条" in out.getvalue()
    assert len(mailoutbox) == 2
    assert set(Notification.objects.values_list("state", flat=True)) == {NotificationState.SENT}
