"""The outbox in the admin: failed and retrying messages with their last error are visible here."""

from django.contrib import admin

from fuyuan.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["subject", "dedup_key", "recipient__username"]
    readonly_fields = [f.name for f in Notification._meta.fields]
