"""Template tags of the hazard detail page. The hazard's history (the merged timeline and the
time in each state) is not read here: it comes ready from the view
(``hazards.timeline.hazard_history``)."""
from django import template

register = template.Library()


@register.simple_tag
def may_supervise(user, hazard):
    """Whether ``user`` may name the supervising leader (挂牌督办) of ``hazard`` now."""
    from hazards.services import may_set_supervising_leader

    return may_set_supervising_leader(user, hazard)
