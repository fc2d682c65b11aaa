from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fuyuan.notifications"
    label = "notifications"
    verbose_name = "通知"
