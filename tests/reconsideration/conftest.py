"""The shared setting of the reconsideration tests: in the shared world, 黔南州司法局 (the body: its staff member
``recon_pref`` and its head ``recon_head``) handles applications against 都匀市自然资源局 (the respondent: its liaison
``agency_duyun``, its heads roster naming 王局长).

Dates counted by hand on the 2026 arrangements (as tests/deadlines/test_deadline_command.py): 中秋 25–27 September;
国庆 1–7 October, Saturday 10 October a working day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.core.models import Event, Role, User
from fuyuan.reconsideration.choices import Channel
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import Receipt, receive_application
from tests.factories import World, make_user

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ID_NUMBER = "522701199001011234"
PHONE = "13912345678"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def particulars(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "applicant_name": "张三",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "applicant_address": "都匀市文峰路1号",
        "contested_act": "都匀市自然资源局作出的都自然资罚〔2026〕8号行政处罚决定",
        "known_on": D(2026, 9, 1),
        "request": "撤销该行政处罚决定",
        "facts_and_reasons": "事实不清，程序违法",
        "domain": "natural_resources",
        "act_type": "penalty",
        "amount": Decimal("20000"),
    }
    values.update(overrides)
    return values


@pytest.fixture
def files(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def head(world: World) -> User:
    user = make_user("recon_head", Role.RECONSIDERATION_BODY, org=world.orgs["州司法局"])
    user.is_head = True
    user.save(update_fields=["is_head"])
    world.users["recon_head"] = user
    return user


def receive(world: World, *, on: datetime.date | None = None, **overrides: Any) -> Receipt:
    """An application received at the window of 黔南州司法局 against 都匀市自然资源局."""
    return receive_application(
        particulars(**overrides),
        body=world.orgs["州司法局"],
        respondent=world.orgs["都匀自然资源局"],
        channel=Channel.WINDOW,
        by=world.users["recon_pref"],
        received_on=on,
    )


def events_of(application: Application) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Application)
    return list(Event.objects.filter(content_type=kind, object_id=application.pk).values_list("action", flat=True))


def deadline(application: Application, rule_id: str) -> Any:
    from fuyuan.deadlines.models import Deadline

    return Deadline.objects.get(case=application.case, rule_id=rule_id)


def fresh(application: Application) -> Application:
    return Application.objects.select_related("case").get(pk=application.pk)


def accepted(world: World, procedure: str = "ordinary", **overrides: Any) -> Application:
    """An application received and accepted today by the body's staff member."""
    from fuyuan.reconsideration.workflow import accept

    app = receive(world, **overrides).application
    return accept(app, by=world.users["recon_pref"], procedure=procedure)
