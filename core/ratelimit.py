"""A fixed-window rate limit on Django's cache (``CACHES``: with several web processes the
cache must be shared, e.g. Redis, or each process counts on its own)."""

import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"5/h"`` → (5, 3600): count per period in seconds. Raises ValueError or KeyError on
    anything else."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip().lower()[:1]]


def over_rate_limit(key, rate, factor=1):
    """Count one hit of ``key`` in the current fixed window of ``rate`` ("<count>/<s|m|h|d>");
    True when that is more than the limit (× ``factor``)."""
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    key = f"{key}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit * factor
