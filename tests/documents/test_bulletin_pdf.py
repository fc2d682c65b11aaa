"""The 通报 opened by an office suite: LibreOffice converts it to PDF, the PDF's text has the title and the
counties, and its first page is written to test-artifacts/bulletin-page1.png for a person to look at."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

from fuyuan.documents.bulletin import render_bulletin
from tests.documents.bulletin_data import november_2026
from tests.factories import World

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_bulletin_converts_to_pdf_with_its_title_and_counties(world: World, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    november_2026(world)
    source = tmp_path / "bulletin.docx"
    source.write_bytes(render_bulletin(world.regions["黔南州"], "2026-11", today=datetime.date(2026, 12, 1)))

    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "bulletin.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "bulletin-page1"),
        ],
        check=True,
    )

    flat = "".join(text.split())
    assert "关于2026年11月全州行政复议和行政诉讼案件情况的通报" in flat
    assert "都匀市" in flat and "福泉市" in flat
    assert "2026年12月1日印发" in flat
    assert (ARTIFACTS / "bulletin-page1.png").stat().st_size > 0
