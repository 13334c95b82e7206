"""Proposing who inspects whom in a cross-inspection round (交叉互查配对).

The proposal is one cycle through all participants, s1 → s2 → … → sn → s1: every school
inspects exactly one school and is inspected by exactly one, nobody inspects itself, and
with three or more schools no two schools inspect each other. The cycle starts sorted by
school type (similar schools inspect each other) and is repaired by swapping schools
until no school is inspected by last round's inspector, where a swap can achieve it.

Two schools can only inspect each other, which the round rule forbids: fewer than three
participants is refused with DomainError.
"""

import random
from collections.abc import Callable, Hashable, Iterable

from django.utils.translation import gettext as _

from core.exceptions import DomainError

MIN_SCHOOLS = 3
REPEAT_COST = 1000  # a repeat of last round's inspector outweighs any type mismatch
MAX_PASSES = 20


def propose_pairings(
    schools: Iterable[Hashable],
    previous_pairs: Iterable[tuple] = (),
    type_of: Callable[[Hashable], str] = lambda s: "",
    *,
    seed: int = 0,
) -> list[tuple]:
    """Return ``[(inspector, inspected), …]``, one pair per school, in cycle order.

    ``schools``: distinct hashable participants (ids); ``previous_pairs``: last round's
    ``(inspector, inspected)`` pairs; ``type_of(school)``: a type key (办学类型) to group
    similar schools. Deterministic for a given ``seed``.
    Raises DomainError with fewer than three schools.
    """
    order = list(dict.fromkeys(schools))
    if len(order) < MIN_SCHOOLS:
        raise DomainError(
            _("交叉互查至少需要3所学校参加（两所学校只能互相检查，不符合互查规则）。")
        )
    rng = random.Random(seed)
    order.sort(key=lambda s: (str(type_of(s)), rng.random()))
    _repair(order, set(previous_pairs), type_of, rng)
    return cycle_pairs(order)


def cycle_pairs(order: list) -> list[tuple]:
    """The pairs of the cycle through ``order``: each inspects the next, the last the first."""
    return [(order[i], order[(i + 1) % len(order)]) for i in range(len(order))]


def repeats(pairs: Iterable[tuple], previous_pairs: Iterable[tuple]) -> int:
    """How many schools are inspected by the same school as last round."""
    return len(set(pairs) & set(previous_pairs))


def _repair(order, previous, type_of, rng):
    """Swap schools to remove repeated pairs; stops when none is left or no swap helps."""
    n = len(order)

    def edge_cost(k):
        a, b = order[k % n], order[(k + 1) % n]
        return REPEAT_COST * ((a, b) in previous) + (type_of(a) != type_of(b))

    for _pass in range(MAX_PASSES):
        bad = [k for k in range(n) if (order[k], order[(k + 1) % n]) in previous]
        if not bad:
            return
        improved = False
        for k in bad:
            improved |= _fix_edge(order, (k + 1) % n, edge_cost, rng)
        if not improved:
            return


def _fix_edge(order, p, edge_cost, rng):
    """Move the school at position ``p`` by the first swap that lowers the total cost."""
    n = len(order)
    candidates = list(range(n))
    rng.shuffle(candidates)
    for q in candidates:
        if q == p:
            continue
        touched = {(p - 1) % n, p, (q - 1) % n, q}
        before = sum(edge_cost(k) for k in touched)
        order[p], order[q] = order[q], order[p]
        if sum(edge_cost(k) for k in touched) < before:
            return True
        order[p], order[q] = order[q], order[p]
    return False


def with_swap(current: dict, edited: dict) -> dict:
    """The bureau's edit of a round's pairings ``{inspected: inspector}``. When exactly one
    school's inspector was changed, from A to B, A and B trade places: B takes over whom A
    inspected and by whom A was inspected, and A takes B's. The cycles keep their lengths,
    so a valid table stays valid (nobody inspects itself, no two inspect each other). Any
    other edit is returned as it is; the service checks the whole table."""
    changed = [x for x, inspector in edited.items() if current.get(x) != inspector]
    if len(changed) != 1 or changed[0] not in current or edited[changed[0]] not in current.values():
        return edited
    if edited[changed[0]] == changed[0]:
        return edited  # a school set to inspect itself: refused as given, not silently changed
    old, new = current[changed[0]], edited[changed[0]]
    trade = {old: new, new: old}
    return {trade.get(b, b): trade.get(a, a) for b, a in current.items()}
