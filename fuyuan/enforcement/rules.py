"""The dates of enforcement supervision, pure (no database): a certificate's validity and its review, the 临期 day of
a certificate, and the filing period of a major enforcement decision. Each names its source."""

from __future__ import annotations

import datetime

from django.conf import settings

# 行政执法证件 are reviewed (审验) every two years: the provinces' 行政执法证件管理办法 (a local rule; e.g. 每两年审验一次).
REVIEW_YEARS = 2
REVIEW_SOURCE = "各省行政执法证件管理办法：执法证件每两年审验一次（本地规定）"
# 行政处罚法 (2021) 第58条: before a major enforcement decision the body's 法制审核 staff review it; a decision not
# reviewed, or not passed, may not be made.
REVIEW_RULE_SOURCE = (
    "行政处罚法（2021）第58条：重大执法决定作出前应当进行法制审核，未经法制审核或者审核未通过的，不得作出决定"
)
# 备案: the body files the major decision with the 司法行政部门 within FUYUAN_ENFORCEMENT_FILING_DAYS calendar days (the
# provinces' 重大执法决定法制审核办法; a local rule, 15 days by default).
FILING_SOURCE = "重大执法决定法制审核办法：作出决定之日起{days}日内报同级司法行政部门备案（本地规定）"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February falls on 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due(issued_on: datetime.date, reviewed_on: datetime.date | None) -> datetime.date:
    """The day the next 审验 is due: two years after the last one, or after issue when never reviewed."""
    return add_years(reviewed_on or issued_on, REVIEW_YEARS)


def is_valid_on(
    day: datetime.date, issued_on: datetime.date, valid_to: datetime.date, revoked_on: datetime.date | None
) -> bool:
    """A certificate is valid from its issue to its last day inclusive, unless revoked by then."""
    return issued_on <= day <= valid_to and (revoked_on is None or revoked_on > day)


def certificate_warn_on(valid_to: datetime.date) -> datetime.date:
    """The 临期 day of a certificate: ``FUYUAN_ENFORCEMENT_WARN_DAYS`` days before its last day (a local setting)."""
    return valid_to - datetime.timedelta(days=settings.FUYUAN_ENFORCEMENT_WARN_DAYS)


def filing_days() -> int:
    return settings.FUYUAN_ENFORCEMENT_FILING_DAYS


def filing_source() -> str:
    return FILING_SOURCE.format(days=filing_days())


def filing_due(decided_on: datetime.date) -> datetime.date:
    """The last day to file a decision made on ``decided_on`` (calendar days; the day of the decision not counted)."""
    return decided_on + datetime.timedelta(days=filing_days())
