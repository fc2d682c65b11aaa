"""The 败诉风险提示函: read back by python-docx (the court's mark, number, title, addressee, the categories and the
court's text, the answer's date, 抄送), downloaded only by those who see the notice, and converted by LibreOffice, its
first page written to test-artifacts/risk-notice-letter.png for a person to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from fuyuan.cases.models import Case
from fuyuan.consultation.documents import render_letter
from tests.consultation.conftest import notice_on
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_letter_reads_back_with_what_the_agency_must_know(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    doc = Document(io.BytesIO(render_letter(notice)))
    lines = [p.text for p in doc.paragraphs if p.text.strip()]
    assert lines[0] == "都匀市人民法院"
    assert lines[1] == f"风险提示〔2026〕{notice.pk}号"
    assert lines[2] == "败诉风险提示函"
    assert lines[3] == "都匀市自然资源局："
    text = "\n".join(lines)
    assert "程序问题；证据问题（事实不清、证据不足）。" in text
    assert "被诉处罚决定未告知陈述申辩权利" in text
    assert "请你单位于2026年12月16日前书面答复本院" in text
    assert "抄送：都匀市依法治办。" in text
    assert doc.core_properties.author == "都匀市人民法院"


def test_the_letter_is_downloaded_by_the_agency_and_not_by_another(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    url = reverse("consultation:letter", args=[notice.pk])
    client = Client()
    client.login(username="agency_duyun", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.login(username="agency_fuquan", password=PASSWORD)
    assert client.get(url).status_code == 404


def test_libreoffice_converts_the_letter_to_pdf(world: World, case: Case, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    source = tmp_path / "letter.docx"
    source.write_bytes(render_letter(notice_on(case, world)))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "letter.pdf"
    flat = "".join(
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout.decode().split()
    )
    assert "败诉风险提示函" in flat and "都匀市自然资源局：" in flat and "2026年12月2日印发" in flat
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / "risk-notice-letter")],
        check=True,
    )  # fmt: skip
    assert (ARTIFACTS / "risk-notice-letter.png").stat().st_size > 0
