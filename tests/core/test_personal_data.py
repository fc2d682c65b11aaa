"""ID numbers and phone numbers: encrypted at rest, found by blind index, masked on every page, revealed only to the
roles that need them and each reveal audited (个人信息保护法 第28条、第51条; GB/T 22239-2019 8.1.4.8, 8.1.4.11)."""

from __future__ import annotations

import datetime
import importlib
import re
from typing import Any, ClassVar

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core import crypto
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import User
from fuyuan.disputes import intake
from fuyuan.disputes.models import Dispute
from fuyuan.hearings.models import Hearing
from fuyuan.hearings.workflow import designate, register_hearing
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sender import send_due
from fuyuan.notifications.workflow import Address, outbox_rows, put
from tests.factories import PASSWORD, World, make_case, make_dispute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number
PHONE = "13912341234"
KEY_A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="  # base64 of 32 × "A"
KEY_B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def raw(model: type[Any], column: str, pk: int) -> str:
    """The value as the database holds it, read with SQL (no field conversion)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def pref_dispute(world: World, **values: Any) -> Dispute:
    o = world.orgs
    values.setdefault("matter", "采伐林木被罚款，林权证被注销")
    values.setdefault("applicant_phone", PHONE)
    values.setdefault("applicant_id_number", ID_NUMBER)
    return make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=world.users["centre"], **values)


def duyun_hearing(world: World, phone: str = PHONE) -> Hearing:
    o = world.orgs
    case = make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"])
    held_on = timezone.localdate() + datetime.timedelta(days=10)
    hearing = register_hearing(case, held_on=held_on, by=world.users["court_duyun"])
    return designate(hearing, name="王局长", phone=phone, by=world.users["agency_duyun"])


def reveal_url(key: str, pk: int) -> str:
    return reverse("reveal-personal-data", args=[key, pk])


# ---------------------------------------------------------------------------------------------------------------
# At rest


def test_an_applicants_id_number_and_phone_are_read_back_whole_but_stored_without_their_digits(world: World) -> None:
    d = pref_dispute(world)

    d = Dispute.objects.get(pk=d.pk)
    assert (d.applicant_id_number, d.applicant_phone) == (ID_NUMBER, PHONE)
    for column in ("applicant_id_number", "applicant_phone", "applicant_id_number_index"):
        stored = raw(Dispute, column, d.pk)
        assert stored and ID_NUMBER[6:14] not in stored and PHONE[3:] not in stored, column
    assert raw(Dispute, "applicant_phone", d.pk).startswith("aesgcm$")


def test_every_phone_column_is_stored_encrypted(world: World) -> None:
    user = world.users["agency_duyun"]
    user.mobile = PHONE
    user.save()
    hearing = duyun_hearing(world)
    d = pref_dispute(world)
    from fuyuan.disputes.models import Coordinator

    expert = Coordinator.objects.create(name="李专家", organisation=world.orgs["州司法局"], region=world.regions["黔南州"],
                                        phone=PHONE)  # fmt: skip

    for model, column, pk in (
        (User, "mobile", user.pk),
        (Hearing, "designee_phone", hearing.pk),
        (Dispute, "applicant_phone", d.pk),
        (Coordinator, "phone", expert.pk),
    ):
        stored = raw(model, column, pk)
        assert stored.startswith("aesgcm$") and PHONE not in stored, (model, column)
    assert User.objects.get(pk=user.pk).mobile == PHONE


def test_a_blank_number_stays_blank_and_can_still_be_filtered_on(world: World) -> None:
    d = pref_dispute(world, applicant_phone="", applicant_id_number="")

    assert raw(Dispute, "applicant_phone", d.pk) == ""
    assert Dispute.objects.filter(applicant_phone="").count() == 1


def test_filtering_on_an_encrypted_value_is_refused_rather_than_silently_finding_nothing(world: World) -> None:
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="BlindIndexField"):
        Dispute.objects.filter(applicant_phone=PHONE).count()
    with pytest.raises(FieldError, match="BlindIndexField"):
        Dispute.objects.filter(applicant_phone__contains="1234").count()


# ---------------------------------------------------------------------------------------------------------------
# Blind index


def test_a_second_application_by_the_same_id_number_is_found_as_a_possible_duplicate(world: World) -> None:
    first = pref_dispute(world, applicants="张三")

    # The same person, written differently (a name left out, the check character in lower case).
    found = intake.possible_duplicates(
        applicants="张 先生", agency=world.orgs["都匀自然资源局"], matter="不服林业局罚款，林权证被注销",
        id_number=ID_NUMBER.lower(),
    )  # fmt: skip

    assert found == [first]


def test_a_different_id_number_and_name_is_not_a_duplicate(world: World) -> None:
    pref_dispute(world, applicants="张三")

    found = intake.possible_duplicates(
        applicants="李四", agency=world.orgs["都匀自然资源局"], matter="不服林业局罚款，林权证被注销",
        id_number="110105194912310037",
    )  # fmt: skip

    assert found == []


def test_the_intake_page_offers_to_merge_an_application_with_the_same_id_number(world: World) -> None:
    first = pref_dispute(world, applicants="张三")
    client = logged_in("centre")

    response = client.post(
        reverse("disputes:new"),
        {
            "source": "window",
            "received_on": timezone.localdate().isoformat(),
            "applicants": "张先生",
            "applicant_id_number": ID_NUMBER,
            "applicant_phone": "",
            "agency": world.orgs["都匀自然资源局"].pk,
            "matter": "不服罚款，林权证被注销",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert first.number in page
    assert Dispute.objects.count() == 1


# ---------------------------------------------------------------------------------------------------------------
# Bulk paths and the outbox


def test_a_bulk_inserted_row_is_encrypted_and_indexed_as_the_orm_would(world: World) -> None:
    now = timezone.now()
    insert_rows(
        Notification,
        ["phone", "channel", "subject", "dedup_key", "next_attempt_at", "created_at"],
        [[PHONE, Channel.SMS, "提醒", "bulk:1", now, now]],
    )

    n = Notification.objects.get(dedup_key="bulk:1")
    assert n.phone == PHONE
    assert raw(Notification, "phone", n.pk).startswith("aesgcm$")
    assert n.phone_index == crypto.blind_index(PHONE, "phone")


def test_one_sms_per_number_and_occasion_still_holds_with_the_number_encrypted(world: World) -> None:
    def sms(phone: str) -> list[Any]:
        return outbox_rows([Address(phone=phone)], subject="提醒", body="正文", dedup_key="hearing:1:t7",
                           channels=[Channel.SMS])  # fmt: skip

    put(sms(PHONE))
    put(sms(PHONE) + sms("13800000000"))

    assert sorted(n.phone for n in Notification.objects.all()) == ["13800000000", PHONE]


class RecordingGateway:
    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


@override_settings(FUYUAN_SMS_BACKEND="tests.core.test_personal_data.RecordingGateway")
def test_the_sms_goes_to_the_whole_number_though_the_outbox_keeps_it_encrypted(world: World) -> None:
    RecordingGateway.sent.clear()
    put(outbox_rows([Address(phone=PHONE)], subject="开庭提醒", body="明日开庭", dedup_key="k", channels=[Channel.SMS]))

    send_due(timezone.now() + datetime.timedelta(minutes=1))

    assert [phone for phone, _ in RecordingGateway.sent] == [PHONE]
    assert PHONE not in RecordingGateway.sent[0][1]


# ---------------------------------------------------------------------------------------------------------------
# The data migrations and key rotation


def run_data_step(app: str, migration: str, *, backwards: bool = False) -> None:
    """Run the RunPython step of a migration file against the present schema."""
    from django.db.migrations import RunPython

    module = importlib.import_module(f"fuyuan.{app}.migrations.{migration}")
    for op in module.Migration.operations:
        if isinstance(op, RunPython):
            (op.reverse_code if backwards else op.code)(apps, None)


def write_raw(model: type[Any], column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk])


def test_the_migration_encrypts_rows_written_in_plaintext_before_it_and_its_reverse_restores_them(
    world: World,
) -> None:
    disputes = [pref_dispute(world, applicants=f"申请人{i}") for i in range(3)]
    for d in disputes:  # as the rows were before the migration
        write_raw(Dispute, "applicant_phone", d.pk, PHONE)
        write_raw(Dispute, "applicant_id_number", d.pk, ID_NUMBER)
        write_raw(Dispute, "applicant_id_number_index", d.pk, "")

    run_data_step("disputes", "0002_encrypt_personal_data")

    for d in disputes:
        assert raw(Dispute, "applicant_phone", d.pk).startswith("aesgcm$")
        assert raw(Dispute, "applicant_id_number", d.pk).startswith("aesgcm$")
        assert raw(Dispute, "applicant_id_number_index", d.pk) == crypto.blind_index(ID_NUMBER, "id_number")
    assert {(d.applicant_phone, d.applicant_id_number) for d in Dispute.objects.all()} == {(PHONE, ID_NUMBER)}

    run_data_step("disputes", "0002_encrypt_personal_data", backwards=True)

    assert {raw(Dispute, "applicant_phone", d.pk) for d in disputes} == {PHONE}
    assert {raw(Dispute, "applicant_id_number", d.pk) for d in disputes} == {ID_NUMBER}


def test_the_migration_works_in_chunks(world: World) -> None:
    disputes = [pref_dispute(world, applicants=f"申请人{i}") for i in range(5)]
    for d in disputes:
        write_raw(Dispute, "applicant_phone", d.pk, PHONE)

    changed = crypto.reencrypt(Dispute, ["applicant_phone", "applicant_id_number"], chunk=2)

    assert changed == 5
    assert all(raw(Dispute, "applicant_phone", d.pk).startswith("aesgcm$") for d in disputes)


def test_after_a_key_rotation_every_value_reads_and_reencrypting_moves_them_to_the_new_key(world: World) -> None:
    with override_settings(FUYUAN_FIELD_KEY=KEY_A, FUYUAN_FIELD_KEYS_OLD=[]):
        d = pref_dispute(world)
        old_id = crypto.keyring().current

    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[KEY_A]):
        assert Dispute.objects.get(pk=d.pk).applicant_phone == PHONE
        changed = crypto.reencrypt_all()
        new_id = crypto.keyring().current
        assert changed["disputes.Dispute"] == 1

    assert raw(Dispute, "applicant_phone", d.pk).split("$")[1] == new_id != old_id
    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[]):
        assert Dispute.objects.get(pk=d.pk).applicant_id_number == ID_NUMBER


# ---------------------------------------------------------------------------------------------------------------
# Masked on the pages; revealed to the roles that need it, and audited


def test_the_dispute_file_shows_the_numbers_masked_even_to_the_centre_staff(world: World) -> None:
    d = pref_dispute(world)

    for persona in ("centre", "rol_pref"):
        page = logged_in(persona).get(reverse("disputes:detail", args=[d.pk])).content.decode()
        assert "139****1234" in page and "1101**********002X" in page, persona
        assert PHONE not in page and ID_NUMBER not in page, persona
        assert ("查看完整号码</button>" in page) == (persona == "centre"), persona


def test_lists_show_no_whole_number(world: World) -> None:
    pref_dispute(world)
    duyun_hearing(world)

    pages = [
        logged_in("centre").get(reverse("disputes:queue")),
        logged_in("agency_duyun").get(reverse("hearings:mine")),
        logged_in("rol_pref").get(reverse("hearings:week")),
    ]

    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert PHONE not in page and ID_NUMBER not in page


def test_centre_staff_reveal_an_applicants_phone_and_the_audit_log_records_it(world: World) -> None:
    d = pref_dispute(world)

    response = logged_in("centre").post(reveal_url("dispute.applicant_phone", d.pk), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    record = AuditRecord.objects.get(kind=AuditKind.UNMASK)
    assert (record.username, record.target_type, record.target_id) == ("centre", "disputes.dispute", str(d.pk))
    assert record.detail == {"field": "applicant_phone", "label": "申请人联系电话"}
    assert PHONE not in record.summary


def test_each_reveal_is_a_record_of_its_own(world: World) -> None:
    d = pref_dispute(world)
    client = logged_in("centre")

    client.post(reveal_url("dispute.applicant_id_number", d.pk))
    client.post(reveal_url("dispute.applicant_id_number", d.pk))

    assert AuditRecord.objects.filter(kind=AuditKind.UNMASK, detail__field="applicant_id_number").count() == 2


@pytest.mark.parametrize("persona", ["rol_pref", "rol_duyun", "leader_pref", "agency_duyun"])
def test_a_role_that_sees_the_dispute_without_the_need_is_refused_the_applicants_id_number(
    world: World, persona: str
) -> None:
    d = pref_dispute(world)

    response = logged_in(persona).post(reveal_url("dispute.applicant_id_number", d.pk))

    assert response.status_code == 403
    assert ID_NUMBER not in response.content.decode()
    refused = AuditRecord.objects.get(kind=AuditKind.UNMASK)
    assert refused.detail["refused"] is True and refused.username == persona


@pytest.mark.parametrize(
    "persona", ["centre_duyun", "court_duyun", "coordinator", "agency_fuquan", "sysadmin", "secadmin", "auditadmin"]
)
def test_a_reveal_of_a_dispute_outside_the_scope_answers_not_found_and_is_recorded(world: World, persona: str) -> None:
    d = pref_dispute(world)

    response = logged_in(persona).post(reveal_url("dispute.applicant_id_number", d.pk))

    assert response.status_code == 404
    refused = AuditRecord.objects.get(kind=AuditKind.UNMASK)
    assert refused.detail == {"field": "applicant_id_number", "label": "申请人身份证号", "refused": True,
                              "visible": False}  # fmt: skip
    assert (refused.username, refused.target_type, refused.target_id) == (persona, "disputes.dispute", str(d.pk))


def digits_of(value: str) -> list[str]:
    """Every run of two or more characters of ``value`` that a masked form would show (its head and its tail)."""
    return [value[:3], value[:4], value[-4:], "****"]


@pytest.mark.parametrize("hx", [False, True])
def test_the_reveal_of_another_regions_record_answers_the_same_404_as_a_missing_one_with_no_digit(
    world: World, hx: bool
) -> None:
    d = pref_dispute(world)  # at the 州 centre, against a 都匀市 agency: nothing of 福泉市's
    hearing = duyun_hearing(world)
    client = logged_in("agency_fuquan")
    headers = {"HTTP_HX_REQUEST": "true"} if hx else {}
    missing = max(d.pk, hearing.pk) + 1000

    for key, pk in (
        ("dispute.applicant_phone", d.pk),
        ("dispute.applicant_id_number", d.pk),
        ("hearing.designee_phone", hearing.pk),
    ):
        foreign = client.post(reveal_url(key, pk), **headers)
        not_there = client.post(reveal_url(key, missing), **headers)

        page = foreign.content.decode()
        assert foreign.status_code == not_there.status_code == 404, key
        for shown in (*digits_of(PHONE), *digits_of(ID_NUMBER)):
            assert shown not in page, (key, shown)
        assert without_csrf_token(page) == without_csrf_token(not_there.content.decode()), key
        assert ("不在您可查看的范围内" in page) if hx else ("页面不存在（404）" in page), key


def without_csrf_token(page: str) -> str:
    """The page with its CSRF token (masked afresh for every response) left out."""
    return re.sub(r'"X-CSRFToken": "\w+"|name="csrfmiddlewaretoken" value="\w+"', "", page)


def test_the_designees_phone_is_revealed_to_the_agency_and_the_rule_of_law_office_only(world: World) -> None:
    hearing = duyun_hearing(world)
    url = reveal_url("hearing.designee_phone", hearing.pk)

    for persona in ("agency_duyun", "rol_duyun", "rol_pref"):
        response = logged_in(persona).post(url)
        assert response.status_code == 200 and PHONE in response.content.decode(), persona
    for persona in ("court_duyun", "leader_pref"):
        assert logged_in(persona).post(url).status_code == 403, persona
    for persona in ("agency_fuquan", "centre", "sysadmin"):
        assert logged_in(persona).post(url).status_code == 404, persona
    assert AuditRecord.objects.filter(kind=AuditKind.UNMASK, detail__refused=True).count() == 5


def test_the_hearing_file_shows_the_designees_phone_masked_with_the_reveal_action_for_the_agency(
    world: World,
) -> None:
    hearing = duyun_hearing(world)

    page = logged_in("agency_duyun").get(reverse("hearings:detail", args=[hearing.pk])).content.decode()

    assert "139****1234" in page and PHONE not in page
    assert "查看完整号码</button>" in page


def test_every_revealable_field_is_in_a_scoping_matrix() -> None:
    from fuyuan.core.masking import REVEALABLE
    from tests.cases.test_scoping import REVEALABLE_KEYS as THROUGH_CASES
    from tests.disputes.test_scoping import REVEALABLE_KEYS as THROUGH_DISPUTES
    from tests.nonlitigation.test_scoping import REVEALABLE_KEYS as THROUGH_NONLITIGATION
    from tests.reconsideration.test_scoping import REVEALABLE_KEYS as THROUGH_RECONSIDERATION

    assert sorted(REVEALABLE) == sorted(
        THROUGH_CASES + THROUGH_DISPUTES + THROUGH_RECONSIDERATION + THROUGH_NONLITIGATION
    )


def test_a_reveal_must_be_a_post(world: World) -> None:
    d = pref_dispute(world)

    assert logged_in("centre").get(reveal_url("dispute.applicant_phone", d.pk)).status_code == 405
    assert not AuditRecord.objects.filter(kind=AuditKind.UNMASK).exists()


def test_an_unknown_field_is_not_found(world: World) -> None:
    d = pref_dispute(world)

    assert logged_in("centre").post(reveal_url("dispute.applicant_address", d.pk)).status_code == 404
    assert logged_in("centre").post(reveal_url("user.password", d.pk)).status_code == 404


def test_a_refused_reveal_from_the_page_answers_with_a_fragment_saying_who_may_see_it(world: World) -> None:
    d = pref_dispute(world)

    response = logged_in("rol_pref").post(reveal_url("dispute.applicant_phone", d.pk), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 403
    assert "无权查看完整号码（仅承办该争议的协调化解中心工作人员可查看）" in page and "139****1234" in page
    assert PHONE not in page


def test_after_the_index_key_is_first_set_a_forced_pass_recomputes_the_blind_indexes(world: World) -> None:
    d = pref_dispute(world)

    with override_settings(FUYUAN_INDEX_KEY=KEY_B):
        crypto.reencrypt_all(force=True)
        found = intake.possible_duplicates(
            applicants="王五", agency=world.orgs["都匀自然资源局"], matter=d.matter, id_number=ID_NUMBER
        )

    assert found == [d]
