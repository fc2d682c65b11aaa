"""SPEC §2, GB/T 22239-2019 8.1.4.2 d): the three administrators — and a superuser without a business role — never
read case contents. Every case-content page, list, export and drill-down is tried for each of them: the answer is a
refusal or an empty scoped page, never a case number, a party's name or a dispute's applicant.

To be sure the markers are real, the same pages show them to a person entitled to see them.
"""

from __future__ import annotations

import datetime
import html
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.models import User
from tests.factories import PASSWORD, World, make_case, make_dispute, make_user

pytestmark = pytest.mark.usefixtures("clock")

CASE_NUMBER = "（2026）黔2701行初987号"
LOST_NUMBER = "（2026）黔2701行初988号"
PARTY = "欧阳靖远"
APPLICANT = "司马青岚"
MARKERS = (CASE_NUMBER, LOST_NUMBER, PARTY, APPLICANT)
ADMINISTRATORS = ["sysadmin", "secadmin", "auditadmin", "root"]


@dataclass
class Contents:
    world: World
    pks: dict[str, int]

    def user(self, name: str) -> User:
        return self.world.users[name]


@pytest.fixture
def contents(world: World) -> Contents:
    from fuyuan.accountability.losses import sync_loss_reviews
    from fuyuan.deadlines.workflow import sync_case_deadlines
    from fuyuan.hearings.workflow import register_hearing
    from fuyuan.packaging.workflow import create_package
    from fuyuan.rectification.workflow import ItemDraft, register_recommendation
    from tests.rectification.conftest import pdf

    o, u, r = world.orgs, world.users, world.regions
    # A superuser made with `fuyuan createsuperuser`: Django's flags, no business role.
    root = make_user("root", "")
    root.is_superuser = root.is_staff = True
    root.save()
    u["root"] = root
    u["leader_duyun"] = make_user("leader_duyun", "leader", region=r["都匀市"])
    case = make_case(
        number=CASE_NUMBER,
        defendant=o["都匀自然资源局"],
        court=o["都匀法院"],
        plaintiffs=PARTY,
        filed_on=datetime.date(2026, 2, 2),
    )
    lost = make_case(
        number=LOST_NUMBER,
        defendant=o["都匀自然资源局"],
        court=o["都匀法院"],
        plaintiffs=PARTY,
        filed_on=datetime.date(2025, 9, 1),
        concluded_on=datetime.date(2026, 2, 10),
        outcome=LitigationOutcome.REVOKED,
    )
    sync_case_deadlines([case.pk, lost.pk], new=True)
    (review,) = sync_loss_reviews([lost.pk])
    hearing = register_hearing(case, held_on=timezone.localdate() + datetime.timedelta(days=3), by=u["court_duyun"])
    dispute = make_dispute(o["都匀中心"], agency=o["都匀自然资源局"], applicants=APPLICANT, by=u["centre_duyun"])
    package = create_package(
        kind="resolve",
        leader=u["leader_duyun"],
        cases=[case],
        goal=f"化解{PARTY}诉{CASE_NUMBER}",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
        by=u["rol_duyun"],
    )
    recommendation = register_recommendation(
        kind="judicial",
        number="（2026）黔2701司建99号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=timezone.localdate(),
        document=pdf(),
        items=[ItemDraft(f"{CASE_NUMBER}暴露的程序问题")],
        summary=f"{PARTY}诉都匀市自然资源局",
        by=u["court_duyun"],
    )
    pks = {
        "case": case.pk,
        "lost": lost.pk,
        "review": review.pk,
        "hearing": hearing.pk,
        "dispute": dispute.pk,
        "package": package.pk,
        "recommendation": recommendation.pk,
    }
    return Contents(world, pks)


# Every door to case contents: lists, details, exports, documents, drill-downs (the figures' links open the case
# list with filters), other people's notifications, the API.
PAGES = [
    "/",
    "/cases/",
    "/cases/?outcome=lost",
    "/cases/{case}/",
    "/cases/{case}/edit/",
    "/cases/export.xlsx",
    "/deadlines/",
    "/deadlines/?state=overdue",
    "/hearings/mine/",
    "/hearings/week/",
    "/hearings/court/",
    "/hearings/{hearing}/",
    "/disputes/",
    "/disputes/mine/",
    "/disputes/{dispute}/",
    "/documents/disputes/{dispute}/agreement.docx",
    "/documents/bulletins/",
    "/documents/bulletin.docx",
    "/documents/bulletin.xlsx",
    "/stats/",
    "/stats/dashboard/",
    "/stats/weekly/",
    "/stats/weekly.xlsx",
    "/accountability/",
    "/accountability/losses/",
    "/accountability/losses/{review}/",
    "/accountability/typical/",
    "/accountability/transfers/",
    "/accountability/transfers/review/",
    "/packaging/",
    "/packaging/{package}/",
    "/packaging/dispatch/",
    "/packaging/dispatch.xlsx",
    "/rectification/",
    "/rectification/{recommendation}/",
    "/rectification/{recommendation}/document/",
    "/notifications/",
    "/notifications/outbox/",
    "/notifications/outbox/?state=failed",
    "/api/v1/cases/",
    "/api/v1/cases/{case}/",
    "/api/v1/hearings/",
]


def text_of(response: object) -> str:
    """What a person could read in the answer: the page, or every part of an Office file (a zip of XML)."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content  # type: ignore[attr-defined]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            # Office XML may write characters as references (&#27431;): read them as characters.
            return html.unescape("".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()))
    return body.decode("utf-8", "replace")


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_no_administrator_reads_a_case_number_or_a_partys_name_through_any_page(
    contents: Contents, persona: str
) -> None:
    client = client_for(contents.user(persona))
    leaks = []
    for page in PAGES:
        url = page.format(**contents.pks)
        response = client.get(url)
        assert response.status_code < 500, url
        text = text_of(response)
        leaks += [f"{url}: {marker}" for marker in MARKERS if marker in text]

    assert leaks == []


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_the_detail_pages_of_case_records_are_refused_to_the_administrators(contents: Contents, persona: str) -> None:
    client = client_for(contents.user(persona))
    details = ["/cases/{case}/", "/hearings/{hearing}/", "/disputes/{dispute}/", "/packaging/{package}/",
               "/rectification/{recommendation}/", "/accountability/losses/{review}/"]  # fmt: skip

    statuses = {url: client.get(url.format(**contents.pks)).status_code for url in details}

    assert set(statuses.values()) <= {403, 404}, statuses


def test_the_markers_are_on_those_pages_for_the_people_entitled_to_them(contents: Contents) -> None:
    office, centre = client_for(contents.user("rol_duyun")), client_for(contents.user("centre_duyun"))
    pks = contents.pks

    assert CASE_NUMBER in text_of(office.get("/cases/"))
    assert PARTY in text_of(office.get(f"/cases/{pks['case']}/"))
    assert CASE_NUMBER in text_of(office.get("/cases/export.xlsx"))
    assert CASE_NUMBER in text_of(office.get(f"/hearings/{pks['hearing']}/"))
    assert CASE_NUMBER in text_of(office.get(f"/packaging/{pks['package']}/"))
    assert LOST_NUMBER in text_of(office.get(f"/accountability/losses/{pks['review']}/"))
    assert APPLICANT in text_of(centre.get(f"/disputes/{pks['dispute']}/"))
    assert CASE_NUMBER in text_of(client_for(contents.user("agency_duyun")).get("/notifications/"))


def test_the_administrators_scoped_querysets_are_empty_in_every_app(contents: Contents) -> None:
    from fuyuan.accountability.queries import visible_to as duties_visible_to
    from fuyuan.cases.queries import visible_to as cases_visible_to
    from fuyuan.disputes.queries import visible_to as disputes_visible_to
    from fuyuan.hearings.queries import visible_to as hearings_visible_to
    from fuyuan.packaging.queries import visible_to as packages_visible_to
    from fuyuan.rectification.queries import visible_to as recommendations_visible_to

    for persona in ADMINISTRATORS:
        user = contents.user(persona)
        for visible_to in (cases_visible_to, disputes_visible_to, hearings_visible_to, packages_visible_to,
                           recommendations_visible_to, duties_visible_to):  # fmt: skip
            assert not visible_to(user).exists(), (persona, visible_to.__module__)


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_an_administrator_cannot_open_someone_elses_notification(contents: Contents, persona: str) -> None:
    from fuyuan.notifications.models import Notification

    theirs = Notification.objects.filter(recipient=contents.user("agency_duyun"), channel="in_app").first()
    assert theirs is not None and theirs.read_at is None

    response = client_for(contents.user(persona)).post(f"/notifications/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
