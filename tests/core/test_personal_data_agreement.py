"""The 调解协议书 is the one document that prints an applicant's numbers whole: for the centre's staff, who print it
for the parties to sign, and each such copy is in the audit log; any other reader gets them masked."""

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.audit.models import AuditKind, AuditRecord
from tests.documents.conftest import Mediate, mediate, read_docx, texts  # noqa: F401 (fixtures)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def applicant_line(client: Client, username: str, pk: int) -> str:
    assert client.login(username=username, password=PASSWORD)
    response = client.get(reverse("documents:agreement", args=[pk]))
    assert response.status_code == 200
    return next(line for line in texts(read_docx(response.content)) if line.startswith("申请人："))


def test_the_centre_prints_the_agreement_with_the_whole_numbers_and_the_audit_log_records_it(
    client: Client,
    mediate: Mediate,  # noqa: F811 (the fixture imported above)
) -> None:
    dispute = mediate()

    line = applicant_line(client, "centre_duyun", dispute.pk)

    assert "公民身份号码：522701199001011234" in line and "联系电话：13912341234" in line
    record = AuditRecord.objects.get(kind=AuditKind.UNMASK)
    assert (record.username, record.target_id) == ("centre_duyun", str(dispute.pk))


@pytest.mark.parametrize("username", ["agency_duyun", "coordinator", "rol_duyun"])
def test_any_other_reader_gets_the_agreement_with_the_numbers_masked(
    client: Client,
    mediate: Mediate,  # noqa: F811 (the fixture imported above)
    username: str,
) -> None:
    line = applicant_line(client, username, mediate().pk)

    assert "公民身份号码：5227**********1234" in line and "联系电话：139****1234" in line
    assert "522701199001011234" not in line and "13912341234" not in line
    assert not AuditRecord.objects.filter(kind=AuditKind.UNMASK).exists()
