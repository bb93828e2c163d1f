"""Unit tests of quality_scoring.effective_params: empty company settings mean the defaults."""

import quality_scoring as qs
from hypothesis import given
from hypothesis import strategies as st

empty = st.sampled_from([None, False, 0])
number = st.one_of(empty, st.integers(-20, 500))
params = st.fixed_dictionaries(
    {key: number for key in qs.DEFAULT_PARAMS if key != "min_grade"}
    | {"min_grade": st.one_of(empty, st.sampled_from(["A", "B", "C", "D", "E", ""]))}
)


def _valid(result):
    if any(value is None for value in result.values()):
        return False
    return (
        qs.weights_valid(
            result["weight_rank"], result["weight_completeness"], result["weight_freshness"]
        )
        and qs.thresholds_valid(result["threshold_a"], result["threshold_b"], result["threshold_c"])
        and result["touch_bonus"] >= 0
        and result["freshness_days"] > 0
        and result["min_grade"] in qs.GRADES
    )


@given(params=params)
def test_effective_params_are_always_usable(params):
    result = qs.effective_params(params)
    assert set(result) == set(qs.DEFAULT_PARAMS)
    assert _valid(result)


valid_params = st.builds(
    lambda weights, thresholds, bonus, days, grade: {
        "weight_rank": weights[0],
        "weight_completeness": weights[1],
        "weight_freshness": weights[2],
        "touch_bonus": bonus,
        "threshold_a": thresholds[2],
        "threshold_b": thresholds[1],
        "threshold_c": thresholds[0],
        "freshness_days": days,
        "min_grade": grade,
    },
    st.tuples(*[st.integers(0, 100)] * 3).filter(lambda weights: sum(weights) > 0),
    st.sets(st.integers(0, 100), min_size=3, max_size=3).map(sorted),
    st.integers(0, 30),
    st.integers(1, 1000),
    st.sampled_from(qs.GRADES),
)


@given(params=valid_params)
def test_valid_settings_are_kept(params):
    assert _valid(params)
    assert qs.effective_params(params) == params


def test_empty_settings_are_the_defaults():
    assert qs.effective_params({}) == qs.DEFAULT_PARAMS
    row_without_settings = dict.fromkeys(qs.DEFAULT_PARAMS)  # SQL insert: NULL everywhere
    result = qs.effective_params(row_without_settings)
    assert result == {**qs.DEFAULT_PARAMS, "touch_bonus": 0}
    assert qs.effective_params({"min_grade": False})["min_grade"] == "C"


def test_one_unusable_group_falls_back_alone():
    custom = {**qs.DEFAULT_PARAMS, "weight_rank": 10, "min_grade": "A", "freshness_days": 0}
    result = qs.effective_params(custom)
    assert result["weight_rank"] == 10
    assert result["min_grade"] == "A"
    assert result["freshness_days"] == qs.DEFAULT_PARAMS["freshness_days"]
