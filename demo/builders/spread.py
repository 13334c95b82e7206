"""Splitting exact totals over schools and dates with a seeded ``random.Random``."""

import random


def allocate(total: int, weights, rng: random.Random, *, minimum: int = 0) -> list:
    """Split ``total`` into one int per weight, each ≥ ``minimum``, roughly proportional to
    the weights with ±30 % noise, summing to exactly ``total`` (largest remainder).
    Raises ValueError if ``minimum`` cannot be met."""
    weights = list(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {minimum} each to {len(weights)} from {total}")
    noisy = [w * rng.uniform(0.7, 1.3) for w in weights]
    scale = sum(noisy)
    shares = [rest * w / scale for w in noisy]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


def size_weight(school) -> float:
    """Bigger schools hold more events, less than proportionally; boarding adds duties."""
    weight = max(school.student_count, 50) ** 0.6
    return weight * (1.3 if school.is_boarding else 1.0)


def around(rng: random.Random, value: int, spread: float = 0.12) -> int:
    """``value`` ± ``spread`` (a fraction), for the years that have no published figure."""
    return max(0, round(value * rng.uniform(1 - spread, 1 + spread)))


def pick(rng: random.Random, population, k: int) -> list:
    """``k`` items of ``population``: distinct when there are enough (``rng.sample``),
    else drawn with repeats, so a short population (few days left in a year) never
    fails. Raises ValueError when ``k`` > 0 and the population is empty."""
    population = list(population)
    if k <= len(population):
        return rng.sample(population, k)
    if not population:
        raise ValueError(f"cannot pick {k} from an empty population")
    return rng.choices(population, k=k)
