"""The 合法性审查意见书 (条例 第28条) in the official layout: read back by python-docx, and converted by LibreOffice, its
first page written to test-artifacts/decision-review-opinion.png for a person to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from fuyuan.decisions.choices import Stage
from fuyuan.decisions.documents import review_opinion_docx
from tests.decisions.conftest import run_to

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_opinion_reads_back_with_the_conclusion_and_the_advisers_opinion(world, clock, decision, justice, expert):
    decision = run_to(
        Stage.COLLECTIVE_DISCUSSION, decision, world, clock, justice, expert, conclusion="lawful_if_changed"
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(review_opinion_docx(decision))).paragraphs)
    assert text.startswith("合法性审查意见书")
    assert "都匀市自然资源局：" in text and "《都匀市城区停车收费标准调整》决策草案" in text
    assert "审查结论：修改后合法。" in text and "需要修改的内容：删除第五条" in text
    assert "法律顾问或公职律师赵律师（公职律师）的法律意见" in text and "2026年9月21日" in text


def test_libreoffice_converts_the_opinion_to_pdf(world, clock, decision, justice, expert, tmp_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    decision = run_to(Stage.COLLECTIVE_DISCUSSION, decision, world, clock, justice, expert)
    source = tmp_path / "opinion.docx"
    source.write_bytes(review_opinion_docx(decision))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "opinion.pdf"
    flat = "".join(
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout.decode().split()
    )
    assert "合法性审查意见书" in flat and "审查结论：合法。" in flat and "都匀市司法局" in flat
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / "decision-review-opinion")],
        check=True,
    )  # fmt: skip
    assert (ARTIFACTS / "decision-review-opinion.png").stat().st_size > 0
