"""Users, their role and their scope: the bureau (all schools) or a set of schools."""

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# A mainland mobile number: 11 digits, 1 then 3–9 (where SMS reminders and calls go).
validate_mobile = RegexValidator(
    r"^1[3-9]\d{9}$", _("手机号须为 11 位中国大陆手机号（如 13812345678）。"), code="mobile"
)


class UserQuerySet(models.QuerySet):
    def responsible_for(self, school_id):
        """Who may own a rectification at the school: its own active safety officers,
        principals and teachers (members of the school, not bureau-wide users)."""
        return self.filter(
            is_active=True, role__in=User.RESPONSIBLE_ROLES, schools=school_id
        ).distinct()

    def bureau(self):
        """Active bureau staff and admins."""
        return self.filter(is_active=True, role__in=User.BUREAU_ROLES)

    def bureau_admins(self):
        """Active bureau admins (教体局管理员): told when a user's role or scope changes."""
        return self.filter(is_active=True, role=User.Role.BUREAU_ADMIN)

    def school_managers(self):
        """Active safety officers and principals (of any school; chain ``schools=`` or start
        from ``school.members``)."""
        return self.filter(is_active=True, role__in=User.SCHOOL_MANAGER_ROLES)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """Django's user manager with the ``UserQuerySet`` methods."""


class User(AbstractUser):
    """A person who signs in: bureau staff, a school's officer, teacher or counsellor,
    an inspector from another department, or a REST client.

    ``scope_all_schools`` gives the bureau-wide scope; otherwise ``schools`` is the scope.
    ``language`` (a code of ``settings.LANGUAGES``) is the language of the pages once signed
    in and of the person's own notifications (inbox, e-mail).
    """

    class Role(models.TextChoices):
        BUREAU_ADMIN = "bureau_admin", _("教体局管理员")
        BUREAU_STAFF = "bureau_staff", _("教体局干部")
        SCHOOL_OFFICER = "school_officer", _("学校安全员")
        PRINCIPAL = "principal", _("校长")
        TEACHER = "teacher", _("教师/班主任")
        INSPECTOR = "inspector", _("部门检查人员")
        COUNSELLOR = "counsellor", _("心理教师")
        REPORT_CLIENT = "report_client", _("报表接口客户端")

    BUREAU_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF}
    SCHOOL_MANAGER_ROLES = {Role.SCHOOL_OFFICER, Role.PRINCIPAL}
    RESPONSIBLE_ROLES = (Role.SCHOOL_OFFICER, Role.PRINCIPAL, Role.TEACHER)

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_mobile])
    role = models.CharField(_("角色"), max_length=20, choices=Role, default=Role.TEACHER)
    scope_all_schools = models.BooleanField(
        _("全旗范围"), default=False, help_text=_("可查看全部学校（教体局）；否则仅限下列学校。")
    )
    schools = models.ManyToManyField(
        "schools.School", verbose_name=_("所属学校"), blank=True, related_name="members"
    )
    language = models.CharField(
        _("语言"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("界面和本人消息提醒（站内消息、邮件）使用的语言。"),
    )
    department = models.ForeignKey(
        "schools.Department",
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("管理员设置或导入的初始密码：下次登录后须先修改密码才能使用。"),
    )

    # The audit trail of who may do what: role, scope and status (issue 12). Secrets and
    # per-login noise stay out; the scope's schools are tracked as a many-to-many.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "language", "must_change_password"],
        m2m_fields=["schools"],
    )
    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    @property
    def is_bureau(self):
        """True for bureau staff and admins, who supervise and write off hazards."""
        return self.role in self.BUREAU_ROLES

    def has_perm(self, perm, obj=None):
        """Whether the user has ``perm`` (on ``obj``). A permission of the apps' ``rules.py``
        is answered by its rule alone, without the database (Django's model permissions
        hold none of those names); an active superuser passes all of them but the sealed
        ones of ``accounts.rules`` (mental-health data). Django's model permissions (the
        admin's) are answered as Django does."""
        from .rules import SEALED_PERMISSIONS  # accounts.rules imports this module

        if not rules.perm_exists(perm):
            return super().has_perm(perm, obj)
        if self.is_active and self.is_superuser and perm not in SEALED_PERMISSIONS:
            return True
        return rules.has_perm(perm, self, obj)

    def scope_snapshot(self) -> dict:
        """What decides what this user may see and do, for comparing before and after a
        change (``accounts.signals.scope_changed``): role, bureau-wide scope, school ids,
        department, active and superuser."""
        return {
            "role": self.role,
            "scope_all_schools": self.scope_all_schools,
            "schools": sorted(self.schools.values_list("id", flat=True)) if self.pk else [],
            "department": self.department_id,
            "is_active": self.is_active,
            "is_superuser": self.is_superuser,
        }

    def school_ids(self):
        """Ids of the schools in this user's scope (None means all schools). One query, cached."""
        if self.scope_all_schools:
            return None
        if not hasattr(self, "_school_ids"):
            self._school_ids = frozenset(self.schools.values_list("id", flat=True))
        return self._school_ids

    def remember_language(self, code) -> bool:
        """Store ``code`` as the user's language when it is one of ``settings.LANGUAGES``
        (anything else is ignored). Returns whether the stored language changed."""
        if code not in dict(settings.LANGUAGES) or code == self.language:
            return False
        self.language = code
        self.save(update_fields=["language"])
        return True

    @property
    def has_any_school(self):
        """Whether any school is in scope (a department inspector may have none: they see
        only their department's joint inspections and findings)."""
        ids = self.school_ids()
        return ids is None or bool(ids)

    def has_school(self, school_id):
        """Whether the school is inside this user's scope."""
        ids = self.school_ids()
        return ids is None or school_id in ids
