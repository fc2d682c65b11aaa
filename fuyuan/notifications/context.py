from django.http import HttpRequest

from fuyuan.notifications.workflow import unread_count as count_unread


def unread_count(request: HttpRequest) -> dict[str, int]:
    """``unread_notifications`` for the bell in the navigation bar."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": count_unread(request.user)}
