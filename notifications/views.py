"""The inbox under /notifications/: the user's own notifications (newest first, 25 a page,
``?unread=1`` for unread only), mark one or all as read, and the channel choices.
Another person's notification is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.pagination import FirstPagePaginator

from . import services
from .forms import PreferenceForm
from .models import Notification, NotificationPreference

PAGE_SIZE = 25


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs):
        unread_only = self.request.GET.get("unread") == "1"
        queryset = Notification.objects.for_user(self.request.user).select_related("school")
        if unread_only:
            queryset = queryset.unread()
        page = FirstPagePaginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, unread_only=unread_only, **kwargs)


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then go to its link (``?next`` inbox otherwise)."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        services.mark_read(notification, actor=request.user)
        target = request.POST.get("next") or reverse("notification-list")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("notification-list")
        return HttpResponseRedirect(target)


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.mark_all_read(actor=request.user)
        messages.success(request, _("已将%(n)d条消息标为已读。") % {"n": count})
        return HttpResponseRedirect(reverse("notification-list"))


class PreferenceView(LoginRequiredMixin, FormView):
    """提醒方式: e-mail and the group robot on or off for the signed-in user, and their
    language (``User.language``)."""

    template_name = "notifications/preferences.html"
    form_class = PreferenceForm

    def get_form_kwargs(self):
        instance = NotificationPreference.objects.filter(user=self.request.user).first()
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": instance or NotificationPreference(user=self.request.user),
        }

    def form_valid(self, form):
        form.save()
        with translation.override(self.request.user.language):  # the language just chosen
            messages.success(self.request, _("提醒方式已保存。"))
        return HttpResponseRedirect(reverse("notification-preferences"))
