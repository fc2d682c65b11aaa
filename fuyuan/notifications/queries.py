"""The outbox as the system administrator sees it (消息发送情况): reads only. 三员管理 (SPEC §2): an administrator never
reads case contents, so these reads never load a message's subject, body or link; what a message is about is told
by its category, named from its de-duplication key."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Q, QuerySet

from fuyuan.notifications.models import Channel, Notification, NotificationState

# (the key's object kind, the occasion after the object's id) -> the category shown. Every key the apps write:
# hearings.workflow, deadlines.reminders, disputes.workflow, packaging.workflow, rectification.workflow,
# accountability (workflow, losses, transfers, typical), meetings.workflow.
CATEGORIES: dict[tuple[str, str], str] = {
    ("hearing", "notice"): "开庭通知",
    ("hearing", "designated"): "出庭负责人已指定",
    ("hearing", "excused"): "负责人不能出庭说明",
    ("hearing", "absent"): "负责人未出庭",
    ("hearing", "cancelled"): "开庭取消",
    ("hearing", "t7"): "开庭前7日提醒",
    ("hearing", "t1"): "开庭前1日提醒",
    ("hearing", "escalated"): "出庭督办（一直达）",
    ("deadline", "due_soon"): "期限临期提醒",
    ("deadline", "overdue"): "期限逾期提醒",
    ("dispute", "assigned"): "协调员指派",
    ("package", "created"): "领导包案·新建",
    ("package", "edited"): "领导包案·修改",
    ("package", "progress"): "领导包案·进展报送",
    ("package", "interview"): "领导包案·约谈记录",
    ("package", "closed"): "领导包案·结束",
    ("package", "dispatch"): "领导包案·按月调度",
    ("report_duty", "opened"): "书面报告·败诉率超过阈值",
    ("report_duty", "submitted"): "书面报告·待审核",
    ("report_duty", "returned"): "书面报告·退回补充",
    ("report_duty", "closed"): "书面报告·已办结",
    ("loss_review", "opened"): "败诉问责·新增败诉案件",
    ("loss_review", "noticed"): "败诉问责·倒查分析",
    ("loss_review", "comment_invited"): "败诉问责·法院点评",
    ("loss_review", "analysed"): "败诉问责·组织约谈",
    ("loss_review", "closed"): "败诉问责·已办结",
    ("loss_review", "withdrawn"): "败诉问责·事项撤销",
    ("clue_transfer", "proposed"): "移送纪委·县级初审",
    ("clue_transfer", "submitted"): "移送纪委·复核",
    ("clue_transfer", "transferred"): "移送纪委·签收线索",
    ("clue_transfer", "rejected"): "移送纪委·不予移送",
    ("clue_transfer", "acknowledged"): "移送纪委·已签收",
    ("clue_transfer", "answered"): "移送纪委·结果反馈",
    ("typical", "issued"): "典型案例印发",
    ("rectification", "registered"): "整改销账·收到建议书",
    ("rectification", "reported"): "整改销账·待核验",
    ("rectification", "returned"): "整改销账·退回",
    ("rectification", "closed"): "整改销账·已销账",
    ("rectification:item", "warned"): "整改事项临期",
    ("rectification:item", "overdue"): "整改事项逾期",
    ("meetings", "assigned"): "联席会议·议定事项交办",
    ("meetings", "reported"): "联席会议·办结待确认",
    ("meetings", "done"): "联席会议·确认办结",
    ("meetings", "returned"): "联席会议·退回",
    ("meetings:task", "warned"): "议定事项临期",
    ("meetings:task", "overdue"): "议定事项逾期",
}
# A key of a known kind with an occasion not listed above (one added later) still says what it is about.
KIND_CATEGORIES = {
    "hearing": "出庭应诉",
    "deadline": "期限提醒",
    "dispute": "协调化解",
    "package": "领导包案",
    "report_duty": "书面报告",
    "loss_review": "败诉问责",
    "clue_transfer": "移送纪委",
    "typical": "典型案例",
    "rectification": "整改销账",
    "rectification:item": "整改销账",
    "meetings": "联席会议",
    "meetings:task": "联席会议",
}
OTHER_CATEGORY = "其他通知"


def category_of(dedup_key: str) -> str:
    """What a message is about, from its key: ``hearing:42:t7`` is 开庭前7日提醒, ``rectification:item:5:overdue``
    is 整改事项逾期. The kind is everything before the object's id, the occasion the word after it (stamps and ids
    that follow keep each message's key unique and do not change its category)."""
    parts = dedup_key.split(":")
    at = next((i for i, part in enumerate(parts) if part.isdigit()), None)
    if at is None or at == 0:
        return OTHER_CATEGORY
    kind = ":".join(parts[:at])
    occasion = parts[at + 1] if at + 1 < len(parts) else ""
    return CATEGORIES.get((kind, occasion)) or KIND_CATEGORIES.get(kind, OTHER_CATEGORY)


# The columns the page reads: never ``subject``, ``body`` or ``link``.
OUTBOX_COLUMNS = (
    "created_at", "channel", "recipient__username", "recipient__full_name", "email", "phone", "dedup_key", "state",
    "attempts", "last_error", "next_attempt_at", "sent_at",
)  # fmt: skip


@dataclass(frozen=True)
class OutboxFilter:
    """The list's filters: a state (or ``retrying``: pending after at least one failed attempt), a channel, and
    whether to list only messages whose last attempt failed."""

    state: str = ""
    channel: str = ""
    errors_only: bool = False


RETRYING = "retrying"


def outbox_messages(filters: OutboxFilter) -> QuerySet[Notification]:
    """The outbox, newest first, as the filters narrow it; with the recipient, without any message content.

    Newest by id: rows are inserted as they are created, and the primary key's index spares sorting the whole
    outbox (a year of sweeps is millions of rows) to show its first page."""
    messages = Notification.objects.select_related("recipient").only(*OUTBOX_COLUMNS)
    return filtered(messages, filters).order_by("-id")


def filtered(messages: QuerySet[Notification], filters: OutboxFilter) -> QuerySet[Notification]:
    if filters.state == RETRYING:
        messages = messages.filter(state=NotificationState.PENDING, attempts__gt=0)
    elif filters.state:
        messages = messages.filter(state=filters.state)
    if filters.channel:
        messages = messages.filter(channel=filters.channel)
    if filters.errors_only:
        messages = messages.exclude(last_error="")
    return messages


def failed_matching(filters: OutboxFilter) -> QuerySet[Notification]:
    """The finally failed messages among those the filters list (none if they list another state)."""
    if filters.state not in ("", NotificationState.FAILED):
        return Notification.objects.none()
    return filtered(Notification.objects.all(), replace(filters, state=NotificationState.FAILED))


@dataclass
class OutboxCounts:
    """How many messages are in each state on each channel; of the pending ones, how many are being retried."""

    by_channel: dict[str, dict[str, int]]

    def total(self, key: str) -> int:
        return sum(counts[key] for counts in self.by_channel.values())


def outbox_counts() -> OutboxCounts:
    """One grouped query over the whole outbox."""
    by_channel = {channel: {"pending": 0, "retrying": 0, "sent": 0, "failed": 0} for channel in Channel.values}
    rows = (
        Notification.objects.order_by()
        .values("channel", "state")
        .annotate(n=Count("id"), retrying=Count("id", filter=Q(attempts__gt=0)))
    )
    for row in rows:
        counts = by_channel.setdefault(row["channel"], {"pending": 0, "retrying": 0, "sent": 0, "failed": 0})
        counts[row["state"]] = counts.get(row["state"], 0) + row["n"]
        if row["state"] == NotificationState.PENDING:
            counts["retrying"] += row["retrying"]
    return OutboxCounts(by_channel)
