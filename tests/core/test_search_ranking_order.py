"""Rows of one score level are checked in base order, sorted lazily (issue 20: a two-letter query at
1M had 300,000 rows sorted to check a few hundred)."""

import numpy as np
import pytest

from tui.core.search.scoring import in_rank_order


@pytest.mark.parametrize("size", [0, 1, 5, 1023, 1024, 1025, 5000])
def test_rows_come_in_rank_order_whatever_how_many(size):
    pick = np.random.default_rng(size)
    rank = pick.permutation(size * 2)  # slot → place in base order
    rows = np.sort(pick.choice(size * 2, size, replace=False)) if size else np.zeros(0, dtype=np.int64)
    got = list(in_rank_order(rows, rank, first=256))
    assert got == sorted(rows.tolist(), key=lambda r: rank[r])


def test_taking_a_few_sorts_only_the_best_placed():
    rank = np.arange(100_000)[::-1].copy()  # the last slot is the best placed
    rows = np.arange(100_000)
    taken = in_rank_order(rows, rank, first=4)
    assert [next(taken) for _ in range(5)] == [99_999, 99_998, 99_997, 99_996, 99_995]


@pytest.mark.parametrize(("size", "share"), [(1025, 1), (1025, 3), (5000, 1), (5000, 60), (3000, 200)])
def test_walking_the_base_order_gives_the_same_rows_in_the_same_order(size, share):
    """With ``order`` (the live slots best placed first), a level holding a good share of the
    catalogue walks it for its best placed rows: every row once, in rank order, whether the caller
    takes a few or all."""
    pick = np.random.default_rng(size + share)
    rank = pick.permutation(size * share)
    order = np.argsort(rank)
    rows = np.sort(pick.choice(size * share, size, replace=False))
    expected = sorted(rows.tolist(), key=lambda r: rank[r])
    assert list(in_rank_order(rows, rank, first=256, order=order)) == expected
    taken = in_rank_order(rows, rank, first=256, order=order)
    assert [next(taken) for _ in range(300)] == expected[:300]
