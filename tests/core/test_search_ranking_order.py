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
