"""Every upload is checked by type (name and first bytes) and size before anything is written (issue 7 §7), and
uploaded files are handed out only by views that check who asks, never from a public media URL.

The doors where a file comes in: the ledger import (台账导入), the recommendation's document (建议书扫描件), an item's
rectification material (整改材料) and the county's written report (书面报告).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from fuyuan.accountability.models import DutyState, ReportDuty
from fuyuan.accountability.workflow import open_report_duties
from fuyuan.cases.ledger import write_template
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Role
from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.accountability.conftest import conclude
from tests.factories import World, make_org, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
MARCH = timezone.make_aware(datetime.datetime(2026, 3, 18, 10, 0))


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# Bad files for documents (PDF, Word, images): (file name, content, what the message must say)
BAD_DOCUMENTS = [
    ("建议书.docx", EXE, "的内容不是 Word（.docx）"),  # a program renamed .docx
    ("建议书.pdf", EXE, "的内容不是 PDF"),
    ("建议书.doc", PDF, "的内容不是 Word（.doc）"),
    ("建议书.exe", EXE, "不是"),
    ("建议书.html", b"<script>alert(1)</script>", "不是"),
    ("建议书.pdf", b"", "空文件"),  # Django's own refusal ("提交的是空文件"), before the type check
]


@dataclass
class Doors:
    """Each door posts one file as its user would, and says what was written."""

    post: Callable[[SimpleUploadedFile], str]  # the page shown after the post
    written: Callable[[], bool]
    folder: Path


@pytest.fixture
def doors(world: World, settings, tmp_path: Path) -> dict[str, Doors]:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.FUYUAN_LOSS_THRESHOLD = "30"
    settings.FUYUAN_LOSS_WINDOW = "year"
    o, r, u = world.orgs, world.regions, world.users
    recommendation = register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number="（2026）黔2701司建1号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=datetime.date(2026, 3, 10),
        document=SimpleUploadedFile("司法建议书.pdf", PDF),
        items=[ItemDraft("规范征收补偿程序")],
        by=u["court_duyun"],
        now=MARCH,
    )
    item = recommendation.items.get()
    government = make_org("都匀市人民政府", r["都匀市"])
    gov_duyun = make_user("gov_duyun", Role.AGENCY_LIAISON, org=government)
    conclude(o["都匀自然资源局"], lost=4, total=10)
    (duty,) = open_report_duties(MARCH)
    court, agency, office = client_for(u["court_duyun"]), client_for(u["agency_duyun"]), client_for(u["rol_pref"])
    recommendations = tmp_path / "recommendations"

    def register(upload: SimpleUploadedFile) -> str:
        data = {
            "kind": "judicial",
            "number": "（2026）黔2701司建9号",
            "issuer": o["都匀法院"].pk,
            "recipient": o["都匀自然资源局"].pk,
            "issued_on": "2026-03-01",
            "document": upload,
            "item_text": ["加强举证期限管理"],
        }
        return court.post("/rectification/new/", data).content.decode()

    def report(upload: SimpleUploadedFile) -> str:
        data = {f"r{item.pk}-text": "已整改", f"r{item.pk}-upload": upload}
        return agency.post(f"/rectification/items/{item.pk}/report/", data).content.decode()

    def submit(upload: SimpleUploadedFile) -> str:
        return (
            client_for(gov_duyun).post(f"/accountability/{duty.pk}/submit/", {"submit-report": upload}).content.decode()
        )

    def import_ledger(upload: SimpleUploadedFile) -> str:
        return office.post("/cases/import/", {"ledger": upload}).content.decode()

    events = Event.objects.count()
    return {
        "建议书": Doors(
            register,
            lambda: Recommendation.objects.count() > 1 or Event.objects.count() > events,
            recommendations,
        ),
        "整改材料": Doors(
            report,
            lambda: Item.objects.get(pk=item.pk).state != ItemState.IN_PROGRESS or Event.objects.count() > events,
            recommendations,
        ),
        "书面报告": Doors(
            submit,
            lambda: ReportDuty.objects.get(pk=duty.pk).state != DutyState.OPEN or Event.objects.count() > events,
            tmp_path / "reports",
        ),
        "台账导入": Doors(import_ledger, lambda: Case.objects.count() > 10, tmp_path / "imports"),
    }


@pytest.mark.parametrize("door", ["建议书", "整改材料", "书面报告"])
@pytest.mark.parametrize(("name", "content", "message"), BAD_DOCUMENTS)
def test_a_document_of_the_wrong_type_or_empty_is_refused_by_name_and_nothing_is_written(
    doors: dict[str, Doors], door: str, name: str, content: bytes, message: str
) -> None:
    d = doors[door]
    before = files_under(d.folder)

    page = d.post(SimpleUploadedFile(name, content))

    assert message in page and (f"“{name}”" in page or not content)
    assert not d.written()
    assert files_under(d.folder) == before


@pytest.mark.parametrize(
    ("door", "setting"),
    [
        ("建议书", "fuyuan.rectification.workflow.MAX_BYTES"),
        ("整改材料", "fuyuan.rectification.workflow.MAX_BYTES"),
        ("书面报告", "fuyuan.accountability.workflow.REPORT_MAX_BYTES"),
    ],
)
def test_a_document_over_the_size_limit_is_refused_with_the_limit_named(
    doors: dict[str, Doors], monkeypatch: pytest.MonkeyPatch, door: str, setting: str
) -> None:
    monkeypatch.setattr(setting, 1024 * 1024)  # 1 MB, so that the test does not post 20 MB
    d = doors[door]
    before = files_under(d.folder)

    page = d.post(SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (1024 * 1024 + 1)))

    assert "“扫描件.pdf”有 1.0 MB，超过 1 MB 的上限" in page
    assert not d.written()
    assert files_under(d.folder) == before


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.title = "行政诉讼"  # type: ignore[union-attr]
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A zip with the .xlsx's first bytes whose one member unpacks to ``unpacked_mb`` MB of zeros."""
    stream = io.BytesIO()
    with (
        zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package,
        package.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(unpacked_mb):
            member.write(b"\0" * (1024 * 1024))
    return stream.getvalue()


BAD_LEDGERS = [
    ("台账.xlsx", EXE, "的内容不是 Excel 工作簿（.xlsx）"),  # a program renamed .xlsx
    ("台账.xlsx", PDF, "的内容不是 Excel 工作簿（.xlsx）"),
    ("台账.xlsx", b"PK\x03\x04" + b"\0" * 200, "不是完整的 Excel 工作簿"),  # a zip's first bytes, then nothing
    ("台账.xlsx", b"", "是空文件"),
    ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "不是 Excel 工作簿：请上传 .xlsx 文件"),
    ("台账.csv", "案号,法院\n".encode(), "不是 Excel 工作簿：请上传 .xlsx 文件"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_LEDGERS)
def test_a_ledger_that_is_not_a_workbook_is_refused_before_it_is_saved(
    doors: dict[str, Doors], name: str, content: bytes, message: str
) -> None:
    d = doors["台账导入"]

    page = d.post(SimpleUploadedFile(name, content))

    assert f"“{name}”" in page and message in page
    assert not d.written()
    assert files_under(d.folder) == []


def test_a_ledger_that_unpacks_to_gigabytes_is_refused_without_unpacking_it(doors: dict[str, Doors]) -> None:
    bomb = zip_bomb(200)  # 200 MB of zeros packs into about 200 KB: 1000 to 1
    assert len(bomb) < 1024 * 1024

    page = doors["台账导入"].post(SimpleUploadedFile("台账.xlsx", bomb))

    assert "“台账.xlsx”解压后达 200 MB，不像正常的 Excel 工作簿（.xlsx），系统拒绝处理" in page
    assert files_under(doors["台账导入"].folder) == []


def test_a_ledger_over_the_size_limit_is_refused_with_the_limit_named(doors: dict[str, Doors], settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_MAX_UPLOAD_BYTES = 1024 * 1024

    page = doors["台账导入"].post(SimpleUploadedFile("台账.xlsx", xlsx_bytes() + b"\0" * (1024 * 1024)))

    assert "“台账.xlsx”有 1.0 MB，超过 1 MB 的上限" in page
    assert files_under(doors["台账导入"].folder) == []


def test_a_real_workbook_passes_the_check_and_reaches_the_preview(doors: dict[str, Doors]) -> None:
    stream = io.BytesIO()
    write_template(stream)

    page = doors["台账导入"].post(SimpleUploadedFile("台账模板.xlsx", stream.getvalue()))

    assert 'role="alert"' not in page.split('name="ledger"', 1)[1].split("</form>", 1)[0]
    assert 'data-testid="import-preview"' in page or 'data-testid="import-errors"' in page


# Serving: the files live under DATA_DIR, outside any URL; only permission-checked views hand them out.
def test_no_media_url_serves_the_uploaded_files(doors: dict[str, Doors], world: World, settings) -> None:  # type: ignore[no-untyped-def]
    recommendation = Recommendation.objects.get()
    stored = recommendation.document.name
    client = client_for(world.users["rol_pref"])

    assert settings.MEDIA_URL in ("", "/")
    for url in (f"/media/{stored}", f"/{stored}", f"/recommendations/{stored}", f"/static/{stored}"):
        assert client.get(url).status_code == 404, url


def test_an_uploaded_document_is_handed_only_to_those_who_see_its_record(doors: dict[str, Doors], world: World) -> None:
    recommendation = Recommendation.objects.get()
    url = f"/rectification/{recommendation.pk}/document/"

    mine = client_for(world.users["agency_duyun"]).get(url)
    other_county = client_for(world.users["agency_fuquan"]).get(url)
    anonymous = Client().get(url)

    assert mine.status_code == 200
    assert mine["Content-Disposition"].startswith("attachment")
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert b"".join(mine.streaming_content) == PDF  # type: ignore[attr-defined]
    assert other_county.status_code == 404
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
