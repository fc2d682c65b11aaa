"""The party's consent to mediation that tests give at acceptance (``workflow.accept_dispute`` requires one)."""

import datetime

from fuyuan.disputes.choices import ConsentWay
from fuyuan.disputes.workflow import Consent

WRITTEN = Consent(by="申请人", on=datetime.date(2020, 1, 1), way=ConsentWay.WRITTEN)
