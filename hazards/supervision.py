"""挂牌督办: the bureau puts a major hazard under supervision by naming the supervising
leader (a bureau user). The change is recorded in the hazard's history (who and when) and
shows on its timeline.
"""
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from campussafety.exceptions import DomainError, NotPermitted

from .models import Hazard


def may_set_supervising_leader(user, hazard) -> bool:
    """Bureau staff with the hazard's school in scope, on an open major hazard."""
    return (
        user.is_authenticated
        and user.is_bureau
        and user.has_school(hazard.school_id)
        and hazard.level == Hazard.Level.MAJOR
        and hazard.status in Hazard.OPEN_STATUSES
    )


def supervising_leader_choices():
    """Who may supervise: active bureau users."""
    return User.objects.filter(role__in=User.BUREAU_ROLES, is_active=True).order_by("name", "username")


def set_supervising_leader(hazard: Hazard, *, actor, leader: User | None) -> Hazard:
    """Name (or, with None, remove) the supervising leader of a major hazard.

    Raises NotPermitted (403) unless ``may_set_supervising_leader``; DomainError (400) when
    the leader is not bureau staff.
    """
    if not may_set_supervising_leader(actor, hazard):
        raise NotPermitted()
    if leader is not None and not (leader.is_bureau and leader.is_active):
        raise DomainError(_("督办领导须为教体局人员。"),
                          field_errors={"leader": [_("督办领导须为教体局人员。")]})
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if not may_set_supervising_leader(actor, locked):
            raise NotPermitted()
        locked.supervising_leader = leader
        locked._history_user = actor  # the history row names who did it, outside a request too
        locked.save(update_fields=["supervising_leader", "updated_at"])
    return locked
