"""The SMS gateways that send nothing (development, demonstration): the file and the console (issue 3: "an SMS
gateway interface with a file/console backend for development")."""

import logging

import pytest

from fuyuan.notifications.sms import ConsoleSmsGateway, FileSmsGateway, gateway


def test_the_console_gateway_writes_each_message_to_the_log_with_the_number_masked(
    settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.FUYUAN_SMS_BACKEND = "fuyuan.notifications.sms.ConsoleSmsGateway"  # type: ignore[attr-defined]
    chosen = gateway()

    with caplog.at_level(logging.INFO, logger="fuyuan.sms"):
        chosen.send("13800000001", "【临期提醒】（2026）黔2701行初7号\n被告提交答辩状及证据")

    assert isinstance(chosen, ConsoleSmsGateway)
    [record] = [r for r in caplog.records if r.name == "fuyuan.sms"]
    assert record.getMessage() == "短信 138****0001：【临期提醒】（2026）黔2701行初7号 被告提交答辩状及证据"
    assert "13800000001" not in caplog.text


def test_the_file_gateway_stays_the_default(settings: object) -> None:
    del settings.FUYUAN_SMS_BACKEND  # type: ignore[attr-defined]

    assert isinstance(gateway(), FileSmsGateway)
