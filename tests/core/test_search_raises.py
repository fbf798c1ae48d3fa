"""A word's estimate per row (``scoring.apply_raises``): each row gets the highest score listed for
it, however the lists repeat — a write that a later one repeats is left out (issue 20, at 1M)."""

import numpy as np

from tui.core.search.scoring import apply_raises


def test_each_row_gets_the_highest_score_listed_for_it_when_lists_repeat():
    pick = np.random.default_rng(20)
    lists = [np.sort(pick.choice(200, n, replace=False)).astype(np.uint32) for n in (5, 40, 40, 90, 120)]
    same = lists[1].copy()  # the same rows again, as a list of its own: at a higher score, then a lower one
    raises = [(80, lists[1]), (90, same), (60, lists[3]), (70, lists[0]), (57, same.copy()), (64, lists[2]),
              (72, lists[4]), (87, np.zeros(0, np.uint32))]
    expected = np.zeros(200, dtype=np.uint8)
    for value, rows in raises:
        expected[rows] = np.maximum(expected[rows], value)
    assert apply_raises(np.zeros(200, dtype=np.uint8), raises).tolist() == expected.tolist()
