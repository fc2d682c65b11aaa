"""The public application form (线上申请) against floods and repeats: a per-address limit, a challenge, and one
number for an exact repeat."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.disputes.models import ApplicationAttempt, Dispute
from tests.disputes.test_views import application, html
from tests.factories import World

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def apply(data: dict[str, object], address: str = "10.0.0.1") -> object:
    return Client(REMOTE_ADDR=address).post(reverse("disputes:apply"), data, follow=True)


def test_submissions_over_the_limit_from_one_address_are_refused_in_chinese_and_write_nothing(
    world: World, settings: Any
) -> None:
    settings.FUYUAN_APPLY_LIMIT = 2
    apply(application(world, matter="林地被征收，补偿款比邻村低一半"))
    apply(application(world, matter="宅基地审批申请三个月未答复"))
    attempts = ApplicationAttempt.objects.count()

    response = Client(REMOTE_ADDR="10.0.0.1").post(reverse("disputes:apply"), application(world, matter="第三件"))

    assert response.status_code == 429
    page = html(response)
    assert "提交过于频繁，请稍后再试" in page and "本次提交<strong>没有</strong>被登记" in page
    assert "约 10 分钟后" in page and response["Retry-After"] == "600"
    assert Dispute.objects.count() == 2 and ApplicationAttempt.objects.count() == attempts
    # Another address is not held back by this one.
    assert html(apply(application(world, matter="第三件"), address="10.0.0.2")).count("您的申请已提交") == 1


def test_the_limit_lets_an_address_in_again_once_its_window_has_passed(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.FUYUAN_APPLY_LIMIT = 1
    apply(application(world, matter="林地被征收，补偿款比邻村低一半"))
    later = NOW + datetime.timedelta(minutes=settings.FUYUAN_APPLY_LIMIT_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "您的申请已提交" in html(apply(application(world, matter="宅基地审批申请三个月未答复")))
    assert ApplicationAttempt.objects.count() == 1  # the old address record is gone with its window


def test_a_wrong_challenge_answer_writes_nothing_and_says_so(world: World) -> None:
    response = apply(application(world, challenge_1="ABCD"))

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "验证码不正确，请输入新图片中的4个字母" in html(response)
    assert not Dispute.objects.exists()


def test_the_real_challenge_is_a_picture_open_without_log_in_and_its_answer_is_accepted(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    client = Client()
    page = html(client.get(reverse("disputes:apply")))
    key = re.search(r'name="challenge_0" value="(\w+)"', page)
    assert key is not None and "看不清，换一张" in page
    image = client.get(reverse("captcha-image", args=[key[1]]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    refresh = client.get(reverse("captcha-refresh"), headers={"X-Requested-With": "XMLHttpRequest"})
    assert refresh.status_code == 200 and refresh.json()["image_url"].startswith("/disputes/apply/captcha/image/")
    answer = CaptchaStore.objects.get(hashkey=key[1]).response

    response = client.post(
        reverse("disputes:apply"), application(world, challenge_0=key[1], challenge_1=answer.upper()), follow=True
    )

    assert "您的申请已提交" in html(response) and Dispute.objects.count() == 1


def test_an_exact_repeat_gets_the_first_number_with_a_clear_message(world: World) -> None:
    first = html(apply(application(world)))
    again = apply(application(world, applicants="张三、李四", matter=" 我家的林地被征收，补偿款比邻村低一半 "))

    dispute = Dispute.objects.get()
    assert dispute.number in first and "已经提交过内容相同的申请" not in first
    page = html(again)
    assert dispute.number in page
    assert "您已经提交过内容相同的申请，中心已经收到，不会重复登记" in page


def test_a_repeat_about_another_matter_or_after_the_week_gets_its_own_number(world: World) -> None:
    apply(application(world))
    apply(application(world, matter="宅基地审批申请三个月未答复"))
    assert Dispute.objects.count() == 2
    Dispute.objects.update(received_on=NOW.date() - datetime.timedelta(days=8))

    page = html(apply(application(world)))

    assert Dispute.objects.count() == 3 and "已经提交过内容相同的申请" not in page


def test_a_repeat_after_the_centre_has_answered_is_registered_for_staff_to_see(world: World) -> None:
    apply(application(world))
    Dispute.objects.update(state="accepted")

    apply(application(world))

    assert Dispute.objects.count() == 2
