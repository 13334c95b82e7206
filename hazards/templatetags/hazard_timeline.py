"""``{% hazard_history hazard as history %}``: the detail page's merged timeline and the
time spent in each state (hazards/timeline.py), from the prefetched events.

A tag rather than view context so the detail page gets it without changing the view;
the history costs two queries (records and their users) plus one per related model edited.
"""
from django import template

from hazards import timeline

register = template.Library()


@register.simple_tag
def hazard_history(hazard):
    """{"entries": [TimelineEntry…], "durations": [{"label", "text", "days", "current"}…]}."""
    events = list(hazard.events.all())
    return {
        "entries": timeline.build_timeline(hazard, events),
        "durations": timeline.duration_rows(hazard, events),
    }


@register.simple_tag
def may_supervise(user, hazard):
    """Whether ``user`` may name the supervising leader (挂牌督办) of ``hazard`` now."""
    from hazards.services import may_set_supervising_leader

    return may_set_supervising_leader(user, hazard)
