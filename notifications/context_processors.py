"""``unread_notifications``: the unread count for the bell in the page header."""

from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """Lazy: the count query runs only when a template shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.for_user(user).unread().count()
        )
    }
