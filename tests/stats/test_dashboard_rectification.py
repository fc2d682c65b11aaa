"""The dashboard's overdue rectification items (销账本): the count of items past their day, and its link to the
ledger of the documents that hold them."""

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.rectification.models import RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.factories import PASSWORD, World
from tests.rectification.conftest import pdf

pytestmark = pytest.mark.django_db


def test_overdue_rectification_items_are_counted_and_open_their_documents(
    world: World, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    o, u = world.orgs, world.users
    register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number="（2025）黔2701司建7号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=datetime.date(2025, 3, 10),  # two months long past: both items overdue
        document=pdf(),
        items=[ItemDraft("规范征收补偿程序"), ItemDraft("加强举证期限管理")],
        by=u["court_duyun"],
    )
    client = Client()
    assert client.login(username="rol_pref", password=PASSWORD)

    page = client.get(reverse("stats:dashboard")).content.decode()

    count = re.search(r'data-testid="rectification-overdue-count">(\d+)<', page)
    assert count is not None and count.group(1) == "2"
    ledger = client.get(reverse("rectification:list") + "?overdue=1").content.decode()
    assert "（2025）黔2701司建7号" in ledger
