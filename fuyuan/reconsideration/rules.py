"""Pure rules of reconsideration handling (no database): which simplified-procedure triggers the file shows, and the
personal data a published decision must not carry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fuyuan.cases.choices import ActType

# 行政复议法 (2023) 第53条第1款第(三)项: 案件涉及款额三千元以下.
SIMPLIFIED_AMOUNT_LIMIT = Decimal("3000")


def suggest_simplified(application: Any) -> list[str]:
    """The 第53条 reasons the file gives for the simplified procedure (empty: none). A suggestion only: staff choose
    (the law adds that the facts be clear, rights and duties plain and the dispute small, which the file cannot tell).
    """
    reasons: list[str] = []
    # 第53条第1款: 被申请行政复议的行政行为是当场作出.
    if application.act_on_the_spot:
        reasons.append("被申请行政复议的行政行为是当场作出的（第53条第1款第一项）")
    # 第53条第1款第(二)项: 警告或者通报批评.
    if application.act_is_warning:
        reasons.append("被申请行政复议的行政行为是警告或者通报批评（第53条第1款第二项）")
    # 第53条第1款第(三)项: 案件涉及款额三千元以下.
    if application.amount is not None and Decimal(application.amount) <= SIMPLIFIED_AMOUNT_LIMIT:
        reasons.append(f"案件涉及款额{Decimal(application.amount):,.2f}元，在三千元以下（第53条第1款第三项）")
    # 第53条第1款第(四)项: 政府信息公开案件.
    if application.act_type == ActType.INFORMATION:
        reasons.append("属于政府信息公开案件（第53条第1款第四项）")
    # 第53条第2款: 当事人各方同意适用简易程序.
    if application.parties_agree_simplified:
        reasons.append("当事人各方同意适用简易程序（第53条第2款）")
    return reasons
