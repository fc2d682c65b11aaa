"""The 合法性审查意见书: read back with python-docx (the bureau, the number, the addressee, the conclusion and the
reasons, in the official layout), printed to PDF by LibreOffice and its first page rendered to a PNG (kept in
test-artifacts/ for a person to look at)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.legalreview.choices import Conclusion
from fuyuan.legalreview.documents import render_opinion
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.workflow import give_opinion
from tests.factories import PASSWORD, World
from tests.legalreview.conftest import under_review

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def opinion(people: World) -> LegalMatter:
    matter = under_review(people)
    return give_opinion(
        matter,
        conclusion=Conclusion.LAWFUL_IF_AMENDED,
        text="（一）第五条设定的罚款超出上位法规定的幅度，应予删除。\n（二）第九条应增加听取意见的程序。",
        by=people.users["review_duyun"],
    )


def test_the_opinion_reads_back_with_its_bureau_number_addressee_conclusion_and_reasons(opinion: LegalMatter) -> None:
    document = docx.Document(io.BytesIO(render_opinion(opinion)))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    text = "\n".join(lines)
    assert lines[0].replace(" ", "") == "都匀市司法局"
    assert f"合法性审查〔2026〕{opinion.pk}号" in text
    assert "合法性审查意见书" in text
    assert "都匀市自然资源局：" in lines
    assert "你单位于2026年12月2日报送的《都匀市城市绿化管理办法》（规范性文件）收悉" in text
    assert "修改后合法。" in lines
    assert "（一）第五条设定的罚款超出上位法规定的幅度，应予删除。" in lines
    assert "请按上述意见修改完善后实施。" in lines
    title = next(p for p in document.paragraphs if p.text == "合法性审查意见书")
    assert title.runs[0].font.name == "方正小标宋简体"


def test_the_opinion_is_downloaded_by_those_who_see_the_matter_only_once_given(
    people: World, opinion: LegalMatter
) -> None:
    client = Client()
    client.login(username="agency_duyun", password=PASSWORD)
    response = client.get(reverse("legalreview:opinion", args=[opinion.pk]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    client.login(username="agency_fuquan", password=PASSWORD)
    assert client.get(reverse("legalreview:opinion", args=[opinion.pk])).status_code == 404
    pending = under_review(people, title="未审事项")
    client.login(username="agency_duyun", password=PASSWORD)
    assert client.get(reverse("legalreview:opinion", args=[pending.pk])).status_code == 404


def test_libreoffice_prints_the_opinion_and_its_first_page_is_an_upright_a4_png(
    opinion: LegalMatter, tmp_path: Path
) -> None:
    from PIL import Image

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    source = tmp_path / "legality-opinion.docx"
    source.write_bytes(render_opinion(opinion))
    subprocess.run(
        [found, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "legality-opinion.pdf"
    flat = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split()
    )
    assert "合法性审查意见书" in flat and "修改后合法" in flat and "都匀市司法局" in flat
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / "legalreview-opinion-page1")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with Image.open(ARTIFACTS / "legalreview-opinion-page1.png") as image:
        assert image.height / image.width == pytest.approx(297 / 210, rel=0.01)
        grey = image.convert("L")
        assert sum(grey.histogram()[:128]) > 0.01 * grey.width * grey.height
