"""The SMS gateway interface. A deployment names its gateway class in ``FUYUAN_SMS_BACKEND`` (dotted path).
Two gateways send nothing, for development and demonstration: the default ``FileSmsGateway`` writes each message as
a line of ``DATA_DIR/sms.log``; ``ConsoleSmsGateway`` writes it to the log (the console of ``fuyuan worker`` or
``runserver``), like Django's console email backend."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from fuyuan.core.masking import mask_phone

DEFAULT_BACKEND = "fuyuan.notifications.sms.FileSmsGateway"
logger = logging.getLogger("fuyuan.sms")


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone`` or raise an exception saying why not."""


class FileSmsGateway:
    """Appends ``time<TAB>masked phone<TAB>text`` to ``DATA_DIR/sms.log``; sends nothing. The number is masked
    (个人信息保护法 第51条): a log file is not a place for whole phone numbers, even on a demonstration machine."""

    def send(self, phone: str, text: str) -> None:
        path = settings.DATA_DIR / "sms.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        line = text.replace("\n", " ")
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S}\t{mask_phone(phone)}\t{line}\n")


class ConsoleSmsGateway:
    """Logs ``短信 masked phone：text`` at INFO on ``fuyuan.sms``, which the default logging prints to the console;
    sends nothing. The number is masked, as in the file gateway."""

    def send(self, phone: str, text: str) -> None:
        logger.info("短信 %s：%s", mask_phone(phone), text.replace("\n", " "))


def gateway() -> SmsGateway:
    backend: SmsGateway = import_string(getattr(settings, "FUYUAN_SMS_BACKEND", DEFAULT_BACKEND))()
    return backend
