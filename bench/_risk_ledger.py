"""A generated ledger of first-instance cases with a known pattern of losses, for ``bench_risk.py``.

The chance of a loss is a logistic function of: the agency (a fixed propensity each), the 案由, a defence submitted
late (行政诉讼法 第67条), a head absent at the hearing, a court's 败诉风险提示 and a reconsideration that had already
corrected the act. The agency's propensity alone is what the baseline can see; the rest only the model can.
"""

from __future__ import annotations

import datetime
import math
import random

from django.db import transaction

from fuyuan.cases.choices import CaseKind, Instance
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import place_case
from fuyuan.consultation.models import RiskNotice
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, User

CAUSE_EFFECT = {"penalty": -0.3, "levy": 0.8, "coercion": 0.5, "licensing": -0.2, "registration": 0.0,
                "nonperformance": 0.6, "information": -0.6}  # fmt: skip
DOMAINS = ["natural_resources", "land_expropriation", "housing", "labour", "market", "public_security"]


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@transaction.atomic
def generate(
    name: str, *, counties: int, agencies: int, cases: int, start: datetime.date, end: datetime.date, seed: int = 7
) -> Region:
    rng = random.Random(seed)
    top = Region.objects.create(name=name, level=RegionLevel.PREFECTURE)
    places = [
        Region.objects.create(name=f"{name}{i + 1}县", level=RegionLevel.COUNTY, parent=top) for i in range(counties)
    ]
    courts = [
        Organisation.objects.create(name=f"{p.name}人民法院", region=p, kind=OrganisationKind.COURT) for p in places
    ]
    orgs = []
    for i in range(agencies):
        place = places[i % counties]
        org = Organisation.objects.create(name=f"{place.name}第{i + 1}局", region=place)
        orgs.append((org, courts[i % counties], rng.gauss(-1.6, 0.6)))
    clerk = User.objects.create(username=f"{name}-court", role="court_liaison", organisation=courts[0])
    span = (end - start).days
    made: list[Case] = []
    notices: list[tuple[int, datetime.date]] = []
    for n in range(cases):
        org, court, propensity = orgs[rng.randrange(len(orgs))]
        cause = rng.choice(list(CAUSE_EFFECT))
        filed = start + datetime.timedelta(days=rng.randrange(span))
        served = filed + datetime.timedelta(days=rng.randint(2, 6))
        late = rng.random() < 0.15
        submitted = served + datetime.timedelta(days=rng.randint(16, 40) if late else rng.randint(3, 15))
        hearing = submitted + datetime.timedelta(days=rng.randint(20, 60))
        absent = rng.random() < 0.2
        notice = rng.random() < 0.08
        z = propensity + CAUSE_EFFECT[cause] + 1.4 * late + 0.9 * absent + 1.2 * notice
        lost = rng.random() < _logistic(z)
        concluded = hearing + datetime.timedelta(days=rng.randint(10, 90))
        outcome = (
            "revoked" if lost else rng.choice(["claim_dismissed", "claim_dismissed", "suit_dismissed", "withdrawn"])
        )
        case = Case(
            kind=CaseKind.LITIGATION,
            number=f"（{filed.year}）{name}行初{n + 1}号",
            instance=Instance.FIRST,
            court=court,
            cause=cause,
            domain=rng.choice(DOMAINS),
            filed_on=filed,
            complaint_served_on=served,
            defence_submitted_on=submitted if submitted <= end else None,
            hearing_on=hearing if hearing <= end else None,
            head_appeared=(not absent) if hearing <= end else None,
            concluded_on=concluded if concluded <= end else None,
            outcome=outcome if concluded <= end else "",
        )
        place_case(case, org)
        made.append(case)
        if notice:
            notices.append((n, min(hearing, end)))
    Case.objects.bulk_create(made, batch_size=2000)
    RiskNotice.objects.bulk_create(
        [
            RiskNotice(
                case=made[i],
                court=made[i].court,
                agency=made[i].defendant,
                county=made[i].county,
                concerns=["evidence"],
                text="证据不足",
                sent_on=on,
                sent_by=clerk,
                answer_due_on=on,
            )
            for i, on in notices
        ],
        batch_size=2000,
    )
    return top
