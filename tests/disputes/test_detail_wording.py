"""The dispute file speaks the users' words: its time limits by what they are, how long they run and their source,
never by the rule ids the command line and the API use (``centre.plan``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, make_coordinator, make_dispute
from tests.visible import rule_ids_in, visible_text

pytestmark = pytest.mark.django_db


def test_the_dispute_page_names_its_time_limits_by_label_and_source_not_rule_id(world: World) -> None:
    o, centre = world.orgs, world.users["centre"]
    d = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
    accept_dispute(d, by=centre, consent=WRITTEN)
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre)
    client = Client()
    assert client.login(username="centre", password=PASSWORD)

    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()

    assert rule_ids_in(html) == []
    text = visible_text(html)
    assert "指派后3个工作日。本地规定：3日内组织重大行政纠纷专家组审核（源自黔南州行政争议化解工作时限）" in text
    assert "评审后5个工作日" in text and "受理后30日" in text
    assert "黔南州规定" not in text  # the demo's and the seeds' prefecture is not this deployment's name
