from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息提醒")

    def ready(self):
        # accounts sits below notifications: it sends, we listen (notifications.receivers).
        from accounts.signals import scope_changed

        from . import tombstones
        from .receivers import notify_scope_change

        scope_changed.connect(notify_scope_change, dispatch_uid="notify_scope_change")
        # The sync feeds' deletions (core.sync, notifications.tombstones).
        scope_changed.connect(tombstones.record_scope_reset, dispatch_uid="tombstone_reset")
        tombstones.connect()
