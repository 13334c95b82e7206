"""The inbox pages: one's own notifications only, mark as read, the bell's unread count,
the channel choices."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from notifications import services
from notifications.context_processors import unread_notifications
from notifications.models import Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db
INBOX = reverse("notification-list")


def tell(user, period="1", url="/hazards/1/"):
    return services.notify(
        [user],
        kind=Kind.OVERDUE,
        subject="hazards.hazard:1",
        period=period,
        title=f"逾期提醒{period}",
        body="请督促",
        url=url,
        queue=False,
    ).notifications[0]


def test_the_inbox_shows_only_my_notifications(client, principal_a, officer_a):
    tell(principal_a, "1")
    tell(officer_a, "2")
    client.force_login(principal_a)
    page = client.get(INBOX).content.decode()
    assert "逾期提醒1" in page and "逾期提醒2" not in page and "消息中心" in page


def test_unread_filter(client, principal_a):
    services.mark_read(tell(principal_a, "1"), actor=principal_a)
    tell(principal_a, "2")
    client.force_login(principal_a)
    page = client.get(INBOX, {"unread": "1"}).content.decode()
    assert "逾期提醒2" in page and "逾期提醒1" not in page


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_mark_read_goes_to_the_link(client, principal_a):
    note = tell(principal_a)
    client.force_login(principal_a)
    response = client.post(reverse("notification-read", args=[note.pk]), {"next": note.url})
    assert response.status_code == 302 and response["Location"] == "/hazards/1/"
    note.refresh_from_db()
    assert note.is_read


def test_mark_read_refuses_an_outside_next(client, principal_a):
    note = tell(principal_a)
    client.force_login(principal_a)
    response = client.post(
        reverse("notification-read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == INBOX


def test_someone_elses_notification_is_a_404(client, principal_a, officer_a):
    note = tell(officer_a)
    client.force_login(principal_a)
    assert client.post(reverse("notification-read", args=[note.pk])).status_code == 404
    assert client.get(reverse("notification-read", args=[note.pk])).status_code == 405
    assert Notification.objects.get().read_at is None


def test_mark_all_read(client, principal_a, officer_a):
    tell(principal_a, "1")
    tell(principal_a, "2")
    tell(officer_a, "3")
    client.force_login(principal_a)
    response = client.post(reverse("notification-read-all"), follow=True)
    assert "已将2条消息标为已读" in response.content.decode()
    assert Notification.objects.unread().get().recipient == officer_a


def test_the_bell_shows_the_unread_count(principal_a, django_assert_num_queries):
    tell(principal_a, "1")
    tell(principal_a, "2")
    request = RequestFactory().get("/")
    request.user = principal_a
    with django_assert_num_queries(0):
        context = unread_notifications(request)  # lazy: no query until shown
    with django_assert_num_queries(1):
        html = render_to_string(
            "notifications/includes/bell.html", {"user": principal_a, **context}
        )
    assert 'data-testid="unread-count">2<' in html and "2条未读" in html


def test_the_bell_has_no_badge_when_all_is_read(principal_a):
    services.mark_read(tell(principal_a), actor=principal_a)
    request = RequestFactory().get("/")
    request.user = principal_a
    html = render_to_string(
        "notifications/includes/bell.html", {"user": principal_a, **unread_notifications(request)}
    )
    assert "unread-count" not in html and reverse("notification-list") in html


def test_preferences_are_saved(client, principal_a):
    client.force_login(principal_a)
    assert client.get(reverse("notification-preferences")).status_code == 200
    response = client.post(reverse("notification-preferences"), {"webhook": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=principal_a)
    assert (preference.email, preference.webhook) == (False, True)


def test_the_language_is_chosen_on_the_preferences_page(client, principal_a):
    client.force_login(principal_a)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert 'name="language"' in page and 'value="zh-hans" selected' in page
    response = client.post(
        reverse("notification-preferences"), {"email": "on", "language": "en"}, follow=True
    )
    principal_a.refresh_from_db()
    assert principal_a.language == "en"
    assert "Notification preferences saved." in response.content.decode()  # already in English
    assert NotificationPreference.objects.get(user=principal_a).email is True


def test_an_unknown_language_is_a_form_error(client, principal_a):
    client.force_login(principal_a)
    response = client.post(reverse("notification-preferences"), {"language": "fr"})
    assert response.status_code == 200 and response.context["form"].errors["language"]
    principal_a.refresh_from_db()
    assert principal_a.language == "zh-hans"
