from datetime import date, timedelta

from keepwarm.core import strength
from keepwarm.core.actions import BUILTIN_ACTIONS, make_action

TODAY = date(2026, 11, 25)


def test_one_coffee_today_scores_a_third():
    assert strength.strength_on([(TODAY, 8.0)], TODAY) == 33.0


def test_strength_halves_its_sum_every_half_life():
    now = strength.strength_on([(TODAY, 8.0)], TODAY + timedelta(days=90))
    assert now == strength.score(4.0)


def test_the_stored_base_gives_the_same_strength_as_summing_touches():
    touches = [(TODAY - timedelta(days=d), w) for d, w in ((0, 8.0), (30, 2.0), (200, 5.0), (800, 1.0))]
    base = sum(strength.base_term(w, d) for d, w in touches)
    direct = strength.strength_on(touches, TODAY)
    assert strength.score(strength.decayed_sum(base, TODAY)) == direct


def test_a_base_keeps_the_order_of_people_on_any_day():
    a = strength.base_term(8.0, TODAY - timedelta(days=100))
    b = strength.base_term(2.0, TODAY - timedelta(days=5))
    for later in (0, 50, 400):
        day = TODAY + timedelta(days=later)
        assert (strength.decayed_sum(a, day) > strength.decayed_sum(b, day)) == (a > b)


def test_trend_compares_with_thirty_days_ago():
    # 8 · 2^(−2/90) = 7.877; 100 · (1 − e^(−7.877/20)) = 32.6; thirty days ago the touch had not happened
    assert strength.trend([(TODAY - timedelta(days=2), 8.0)], TODAY) == 32.6
    assert strength.trend([(TODAY - timedelta(days=100), 8.0)], TODAY) < 0


def test_a_touch_after_the_day_does_not_count():
    assert strength.strength_on([(TODAY + timedelta(days=1), 8.0)], TODAY) == 0.0


def test_balance_moves_with_the_kind_of_action():
    by_name = {a.name: a for a in BUILTIN_ACTIONS}
    assert by_name["coffee"].balance_delta == 8.0
    assert by_name["ask"].balance_delta == -5.0
    assert by_name["received"].balance_delta == -4.0
    assert make_action("wave", None, 1.0, 1, "neutral").balance_delta == 0.5


def test_user_actions_are_checked():
    import pytest

    from keepwarm.errors import InvalidInputError

    for args in (("Bad Name", None, 1, 1, "give"), ("ok", None, 0, 1, "give"),
                 ("ok", None, 1, -1, "give"), ("ok", None, 1, 1, "steal")):
        with pytest.raises(InvalidInputError):
            make_action(*args)
