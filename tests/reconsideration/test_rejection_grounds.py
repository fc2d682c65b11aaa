"""不予受理 with its grounds (行政复议法 (2023) 第30条: the conditions of its first paragraph not met, the reasons, and
the competent body where this one is not, 第30条第2款), stored as choices and shown in the 不予受理决定书 and the file."""

from __future__ import annotations

import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.reconsideration.choices import RejectionGround, Stage
from fuyuan.reconsideration.filing import refusal_decision
from fuyuan.reconsideration.workflow import ReconsiderationError, reject
from tests.factories import World
from tests.reconsideration.conftest import D, events_of, receive

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_grounds_are_stored_and_the_decision_cites_their_items(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application

    app = reject(
        app,
        grounds=[RejectionGround.OUT_OF_TIME, RejectionGround.IN_LITIGATION],
        reason="申请人于2026年3月知道该行政行为，且已就同一行为向都匀市人民法院提起行政诉讼并已立案",
        by=world.users["recon_pref"],
    )

    assert app.stage == Stage.REJECTED
    assert app.rejection_grounds == ["out_of_time", "in_litigation"]
    assert app.get_rejection_grounds_display() == [
        "超过法定申请期限",
        "人民法院已受理同一申请人就同一行政行为提起的行政诉讼",
    ]
    assert "超过法定申请期限、人民法院已受理" in app.case.rejection_reason
    assert events_of(app)[-1] == "rejected"
    document = refusal_decision(app)
    assert [g.value for g in document.grounds] == [4, 7]
    assert document.reasons.startswith("申请人于2026年3月")


def test_a_rejection_without_ground_or_with_a_mismatched_competent_body_is_refused(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = receive(world).application
    cases = [
        ({"grounds": []}, "请选择不予受理的情形"),
        ({"grounds": ["nonsense"]}, "不予受理的情形无效"),
        ({"grounds": [RejectionGround.NOT_COMPETENT]}, "应当在不予受理决定中告知申请人有管辖权的行政复议机关"),
        (
            {"grounds": [RejectionGround.OUT_OF_SCOPE], "competent_body": world.orgs["都匀司法局"]},
            "应当包括“不属于本机关管辖”",
        ),
    ]
    for values, message in cases:
        with pytest.raises(ReconsiderationError, match=message):
            reject(app, reason="理由", by=staff, **values)  # type: ignore[arg-type]
    assert "rejected" not in events_of(app)


def test_the_page_takes_the_grounds_and_shows_them_in_the_file_and_the_document(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = receive(world).application
    client = Client()
    client.force_login(staff)
    url = reverse("reconsideration:act", args=[app.pk, "reject"])

    refused = client.post(url, {"reject-reason": "不属于本机关管辖"})
    assert refused.status_code == 200 and "不予受理的情形" in refused.content.decode()
    done = client.post(
        url,
        {
            "reject-grounds": ["not_competent", "out_of_scope"],
            "reject-reason": "该行为系州级机关作出",
            "reject-competent_body": world.orgs["都匀司法局"].pk,
        },
    )
    assert done.status_code == 302

    page = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    assert "不属于本机关管辖；不属于行政复议范围（不符合行政复议法第30条第1款）" in page
    assert "该行为系州级机关作出" in page
    text = _text(client.get(reverse("reconsideration:document", args=[app.pk, "refusal"])).content)
    assert "经审查，本机关认为：该行为系州级机关作出。" in text
    assert "第（五）项“属于本法规定的行政复议范围”、第（六）项“属于本机关的管辖范围”" in text
    assert "有管辖权的行政复议机关都匀市司法局" in text
