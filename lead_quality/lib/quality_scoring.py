"""Pure arithmetic of the lead quality score (no Odoo import).

The score of a lead (0-100) is a weighted mean of three partial scores, each
0-100, plus a bonus per additional medium that reached the contact:

* rank points: rank 1 (best) gives 100 points, each further rank
  ``100 / RANK_SCALE`` points less; rank 0 (not ranked) or a rank beyond the
  scale gives 0 points;
* data completeness: share of the medium's required fields holding a value;
* freshness: 100 while the data was verified within the configured age,
  0 once it is older (stale).

The grade follows from three descending thresholds: A, B, C, else D.
"""

RANK_SCALE = 6
GRADES = ("A", "B", "C", "D")

DEFAULT_PARAMS = {
    "weight_rank": 40,
    "weight_completeness": 40,
    "weight_freshness": 20,
    "touch_bonus": 5,
    "threshold_a": 80,
    "threshold_b": 60,
    "threshold_c": 40,
    "freshness_days": 365,
    "min_grade": "C",
}


def rank_points(rank, scale=RANK_SCALE):
    """Points (0-100) of an effective media rank; 1 is best, 0 means not ranked."""
    if not rank or rank < 1 or rank > scale:
        return 0.0
    return 100.0 * (scale + 1 - rank) / scale


def completeness(required_count, filled_count):
    """Percentage (0-100, integer) of required fields that hold a usable value.

    Without required fields a lead is complete (100).
    """
    if required_count <= 0:
        return 100
    filled = max(0, min(filled_count, required_count))
    return int(round(100.0 * filled / required_count))


def is_stale(age_days, freshness_days):
    """True when data verified ``age_days`` ago is older than the allowed age.

    ``age_days`` None means the data was never verified: stale.
    """
    if age_days is None:
        return True
    return age_days > freshness_days


def quality_score(
    rank,
    completeness_pct,
    stale,
    touch_count,
    weight_rank,
    weight_completeness,
    weight_freshness,
    touch_bonus,
):
    """Quality score 0-100 (integer) of a lead.

    Weighted mean of rank points, completeness and freshness, plus
    ``touch_bonus`` points for each distinct medium beyond the first.
    """
    total_weight = weight_rank + weight_completeness + weight_freshness
    if total_weight <= 0:
        base = 0.0
    else:
        base = (
            weight_rank * rank_points(rank)
            + weight_completeness * completeness_pct
            + weight_freshness * (0.0 if stale else 100.0)
        ) / total_weight
    bonus = touch_bonus * max(0, touch_count - 1)
    return int(round(max(0.0, min(100.0, base + bonus))))


def grade(score, threshold_a, threshold_b, threshold_c):
    """Grade letter of a score: A >= threshold_a > B >= threshold_b > C >= threshold_c > D."""
    if score >= threshold_a:
        return "A"
    if score >= threshold_b:
        return "B"
    if score >= threshold_c:
        return "C"
    return "D"


def grade_at_least(grade_value, min_grade):
    """True when ``grade_value`` is ``min_grade`` or better (A is best)."""
    if grade_value not in GRADES or min_grade not in GRADES:
        return False
    return GRADES.index(grade_value) <= GRADES.index(min_grade)


def thresholds_valid(threshold_a, threshold_b, threshold_c):
    """Thresholds must lie in 0-100 and be strictly descending A > B > C."""
    return 100 >= threshold_a > threshold_b > threshold_c >= 0


def weights_valid(weight_rank, weight_completeness, weight_freshness):
    """Weights are non-negative and not all zero."""
    weights = (weight_rank, weight_completeness, weight_freshness)
    return all(w >= 0 for w in weights) and sum(weights) > 0


def lead_quality(rank, completeness_pct, age_days, touch_count, min_completeness, params):
    """The whole quality chain of one lead: ``(stale, score, grade, ready)``.

    ``age_days`` is the age of the verified data (None: never verified), ``min_completeness``
    the medium's minimum for distribution and ``params`` a dict with the keys of
    ``DEFAULT_PARAMS``. The ORM compute and the set-based batch re-score both use it, so the
    two cannot disagree.
    """
    stale = is_stale(age_days, params["freshness_days"])
    score = quality_score(
        rank,
        completeness_pct,
        stale,
        touch_count,
        params["weight_rank"],
        params["weight_completeness"],
        params["weight_freshness"],
        params["touch_bonus"],
    )
    grade_value = grade(score, params["threshold_a"], params["threshold_b"], params["threshold_c"])
    ready = not readiness_blockers(
        completeness_pct, min_completeness, grade_value, params["min_grade"]
    )
    return stale, score, grade_value, ready


def readiness_blockers(completeness_pct, min_completeness, grade_value, min_grade):
    """Why a lead is not ready for distribution: a tuple of the unmet conditions.

    ``("completeness", completeness_pct, min_completeness)`` when the data is less complete
    than its medium requires, ``("grade", grade_value, min_grade)`` when the grade is below
    the company's minimum. Empty: the lead is ready (the rule of :func:`lead_quality`).
    """
    blockers = []
    if (completeness_pct or 0) < (min_completeness or 0):
        blockers.append(("completeness", completeness_pct or 0, min_completeness or 0))
    if not grade_at_least(grade_value, min_grade):
        blockers.append(("grade", grade_value, min_grade))
    return tuple(blockers)


def evidence_score(acceptance_rate, conversion_rate, won_rate):
    """Observed quality (0-100) of a medium from sales' evidence.

    Mean of the acceptance, conversion and won rates (percent); a rate that
    is None (no data, e.g. no feedback given) is left out of the mean.
    """
    rates = [r for r in (acceptance_rate, conversion_rate, won_rate) if r is not None]
    if not rates:
        return 0.0
    return sum(rates) / len(rates)


def evidence_ranks(rows):
    """Dense ranks (1 = best) from ``rows`` of ``(key, evidence_score, revenue_per_lead)``.

    Higher evidence score ranks better; ties are broken by revenue per lead,
    then by key for a stable order. Returns ``{key: rank}``.
    """
    ordered = sorted(rows, key=lambda r: (-r[1], -(r[2] or 0.0), str(r[0])))
    return {row[0]: position for position, row in enumerate(ordered, start=1)}


def effective_params(params):
    """``params`` with every empty or unusable group of settings replaced by the defaults.

    Company settings live in columns without NOT NULL: a company row inserted by code that
    does not know these settings reads as 0 / empty. Weights that are all 0 (or negative),
    thresholds out of order, a freshness age that is not positive and an unknown minimum
    grade mean "not set" and fall back to ``DEFAULT_PARAMS``; valid settings are kept as
    they are. Keys missing from ``params`` take their default too.
    """
    result = dict(DEFAULT_PARAMS)
    result.update({key: value for key, value in params.items() if key in DEFAULT_PARAMS})
    for key, default in DEFAULT_PARAMS.items():
        if not isinstance(default, str):
            result[key] = result[key] or 0  # empty (None, False) reads as 0
    weights = ("weight_rank", "weight_completeness", "weight_freshness")
    if not weights_valid(*(result[key] for key in weights)):
        result.update({key: DEFAULT_PARAMS[key] for key in weights})
    thresholds = ("threshold_a", "threshold_b", "threshold_c")
    if not thresholds_valid(*(result[key] for key in thresholds)):
        result.update({key: DEFAULT_PARAMS[key] for key in thresholds})
    if result["touch_bonus"] < 0:
        result["touch_bonus"] = DEFAULT_PARAMS["touch_bonus"]
    if result["freshness_days"] <= 0:
        result["freshness_days"] = DEFAULT_PARAMS["freshness_days"]
    if result["min_grade"] not in GRADES:
        result["min_grade"] = DEFAULT_PARAMS["min_grade"]
    return result
