"""The outbox in the admin: failed and retrying messages with their last error are visible here."""

from django.contrib import admin

from fuyuan.core.masking import mask_phone
from fuyuan.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["subject", "dedup_key", "recipient__username"]
    # The SMS number is shown masked: no administrator needs it whole (个人信息保护法 第51条; core.masking).
    exclude = ["phone", "phone_index"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name not in {"phone", "phone_index"}] + [
        "masked_phone"
    ]

    @admin.display(description="手机号码")
    def masked_phone(self, obj: Notification) -> str:
        return mask_phone(obj.phone)
