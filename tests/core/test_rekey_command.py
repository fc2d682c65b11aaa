"""``fuyuan rekey_personal_data`` moves every encrypted value to the current key after a rotation."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from fuyuan.core import crypto
from fuyuan.disputes.models import Dispute
from tests.core.test_personal_data import KEY_A, KEY_B, PHONE, pref_dispute, raw
from tests.factories import World


def test_the_command_reencrypts_in_the_new_key_and_says_how_many_rows(world: World) -> None:
    with override_settings(FUYUAN_FIELD_KEY=KEY_A, FUYUAN_FIELD_KEYS_OLD=[]):
        d = pref_dispute(world)
    out = StringIO()
    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[KEY_A]):
        call_command("rekey_personal_data", stdout=out)
        new_id = crypto.keyring().current
    assert "disputes.Dispute：1 行" in out.getvalue()
    assert "已用当前密钥重新加密" in out.getvalue()
    assert raw(Dispute, "applicant_phone", d.pk).split("$")[1] == new_id
    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[]):  # the old key can now be dropped
        assert Dispute.objects.get(pk=d.pk).applicant_phone == PHONE
