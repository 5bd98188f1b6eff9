from decimal import Decimal

import pytest

from skills.scoring import average, domain_score, gap


@pytest.mark.parametrize(
    ("levels", "score"),
    [
        ([1, 2], 2),  # 1.5 rounds half up
        ([0, 0, 1], 0),
        ([4, 4, 4], 4),
        ([2, 3], 3),  # 2.5 rounds up, not to even
        ([0], 0),
    ],
)
def test_domain_score_is_the_mean_rounded_half_up(levels, score):
    assert domain_score(levels) == score


def test_a_mean_of_2_49_rounds_down_to_2():
    # 100 answers averaging 2.49: 49 threes and 51 twos.
    assert domain_score([3] * 49 + [2] * 51) == 2


def test_no_answers_means_not_scored():
    assert domain_score([]) is None
    assert gap(3, None) is None


@pytest.mark.parametrize(("target", "score", "expected"), [(3, 1, 2), (3, 3, 0), (2, 4, 0)])
def test_gap_is_never_negative(target, score, expected):
    assert gap(target, score) == expected


def test_average_ignores_people_not_scored():
    assert average([1, 2, None]) == Decimal("1.5")
    assert average([None]) is None
