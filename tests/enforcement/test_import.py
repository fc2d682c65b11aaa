"""The exam platform's workbook: all or nothing, every error as ``sheet, row N, column: reason``, through the page and
the command; a good workbook brings officers, certificates (warned), renewals and training records."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fuyuan.enforcement.models import Certificate, Officer, TrainingRecord
from fuyuan.enforcement.workflow import CERTIFICATE
from fuyuan.obligations.models import Obligation
from tests.enforcement.conftest import OFFICER_HEADERS, TRAINING_HEADERS, D, add_officer, workbook
from tests.factories import World

pytestmark = pytest.mark.django_db

DUYUN = "都匀市自然资源局"


def good() -> dict[str, list[list[object]]]:
    return {
        "执法人员": [
            OFFICER_HEADERS,
            ["王强", DUYUN, "52270100001", "行政执法证", D(2022, 3, 1), D(2026, 12, 20), "2024-03-01"],
            ["李明", DUYUN, "52270100002", "行政执法证", "2023/5/6", "2029年5月5日", None],
        ],
        "培训考试": [
            TRAINING_HEADERS,
            ["52270100001", 2026, 62, D(2026, 10, 12), 88, "合格"],
            ["52270100002", 2026, 40.5, None, None, None],
        ],
    }


def test_a_bad_workbook_is_refused_with_sheet_row_and_column_and_nothing_is_written(people: World) -> None:
    # given: a good workbook but for six cells
    sheets = good()
    sheets["执法人员"].append(["赵刚", "都匀市不存在局", "5227-X", "执法证", "2022-02-30", "2021-01-01", None])
    sheets["执法人员"].append(["", DUYUN, "52270100001", "行政执法证", "2022-01-01", "2028-01-01", None])
    sheets["培训考试"].append(["52279999999", 2026, "四十", None, 101, None])
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    # when: uploaded
    response = client.post(reverse("enforcement:import"), {"upload": workbook(sheets)})
    # then: every error named, and nothing written
    assert response.status_code == 400
    errors = [str(e) for e in response.context["plan"].errors]
    assert errors == [
        "执法人员, row 4, 证件种类: 未知的证件种类“执法证”（可填：行政执法证、行政执法监督证）",
        "执法人员, row 4, 发证日期: 日期不存在“2022-02-30”",
        "执法人员, row 4, 执法主体: “都匀市不存在局”不是已登记的执法主体（请先在“执法主体”中登记）",
        "执法人员, row 5, 姓名: 必填",
        "执法人员, row 5, 执法证号: 与第 2 行重复",
        "培训考试, row 4, 培训学时: 不是数字“四十”",
        "培训考试, row 4, 考试成绩: 应在 0 至 100 之间（现为 101）",
        "培训考试, row 4, 执法证号: “52279999999”不存在（既未登记，也不在“执法人员”工作表中）",
    ]
    page = response.content.decode()
    assert "工作簿有 8 处错误，未导入任何数据" in page and "第 4 行" in page
    assert not Officer.objects.exists() and not Certificate.objects.exists() and not TrainingRecord.objects.exists()
    assert not Obligation.objects.exists()


def test_the_same_refusal_from_the_command_line(people: World, tmp_path: Path) -> None:
    sheets = good()
    sheets["执法人员"][1][5] = D(2021, 1, 1)  # 有效期至 before 发证日期
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(sheets).getvalue())
    err = StringIO()
    with pytest.raises(CommandError, match="工作簿有 1 处错误，未导入任何数据"):
        call_command("import_officers", str(path), stderr=err)
    assert err.getvalue().strip() == "执法人员, row 2, 有效期至: 早于发证日期（2022-03-01）"
    assert not Officer.objects.exists()


def test_a_good_workbook_brings_officers_certificates_and_training(people: World, tmp_path: Path) -> None:
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    response = client.post(reverse("enforcement:import"), {"upload": workbook(good())})
    assert response.status_code == 302
    wang = Officer.objects.get(name="王强")
    cert = wang.certificates.get()
    assert (cert.valid_to, cert.reviewed_on, cert.review_due_on) == (D(2026, 12, 20), D(2024, 3, 1), D(2026, 3, 1))
    assert wang.joined_on == D(2022, 3, 1)
    assert Obligation.objects.filter(kind=CERTIFICATE).count() == 2
    assert TrainingRecord.objects.get(officer=wang).score == 88
    # imported again with a renewal of 王强's certificate: the old number is revoked from the new issue; his training of
    # 2026, reported again under the new number, replaces the one on file, and 2025's is added
    sheets = {"执法人员": [[*OFFICER_HEADERS, "原执法证号"],
                          ["王强", DUYUN, "52270100009", "行政执法证", D(2026, 11, 30), D(2032, 11, 29), None,
                           "52270100001"]],
              "培训考试": [TRAINING_HEADERS,
                          ["52270100009", 2026, 64, D(2026, 10, 12), 91, "合格"],
                          ["52270100009", 2025, 40, D(2025, 10, 15), 75, "合格"]]}  # fmt: skip
    path = tmp_path / "renewal.xlsx"
    path.write_bytes(workbook(sheets).getvalue())
    out = StringIO()
    call_command("import_officers", str(path), stdout=out)
    assert "新增执法证 1 个" in out.getvalue()
    assert Officer.objects.count() == 2
    assert list(wang.certificates.order_by("number").values_list("number", "revoked_on")) == [
        ("52270100001", D(2026, 11, 30)),
        ("52270100009", None),
    ]
    assert Obligation.objects.get(kind=CERTIFICATE, subject_id=cert.pk).state == "cancelled"
    assert list(wang.training.order_by("year").values_list("year", "hours", "score")) == [
        (2025, 40, 75),
        (2026, 64, 91),
    ]
    assert TrainingRecord.objects.get(officer__name="李明").hours == Decimal("40.5")


def test_a_body_may_import_only_its_own_officers(people: World) -> None:
    add_officer(people, "福泉公安局", "孙丽", "52270200001", valid_to=D(2028, 1, 9))
    sheets = {
        "执法人员": [
            OFFICER_HEADERS,
            ["周洁", "福泉市公安局", "52270200002", "行政执法证", "2024-01-01", "2030-01-01"],
        ],
        "培训考试": [TRAINING_HEADERS, ["52270200001", 2026, 30, None, None, None]],
    }
    client = Client()
    client.force_login(people.users["agency_duyun"])
    response = client.post(reverse("enforcement:import"), {"upload": workbook(sheets)})
    assert [str(e) for e in response.context["plan"].errors] == [
        "执法人员, row 2, 执法主体: 您无权导入福泉市公安局的执法人员",
        "培训考试, row 2, 执法证号: 您无权导入福泉市公安局的执法人员",
    ]
    client.force_login(people.users["zfjd_anyang"])
    assert client.post(reverse("enforcement:import"), {"upload": workbook(sheets)}).status_code == 400
    client.force_login(people.users["court_duyun"])
    assert client.get(reverse("enforcement:import")).status_code == 403


def test_a_file_that_is_not_a_workbook_is_refused_by_name(people: World) -> None:
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    fake = StringIO("姓名,执法主体\n")
    fake.name = "人员.xlsx"
    response = client.post(reverse("enforcement:import"), {"upload": fake})
    assert "“人员.xlsx”的内容不是" in response.context["problem"]
    assert not Officer.objects.exists()
