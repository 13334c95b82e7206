"""Permissions of the notifications app: who manages outbound webhook subscriptions (other
systems' endpoints and secrets): the bureau admin."""

import rules

from accounts.rules import is_bureau_admin

rules.add_perm("notifications.manage_webhooks", is_bureau_admin)
