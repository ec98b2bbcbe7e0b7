"""gdcourse.seeds: one result over several seeds, in a format another machine keeps."""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse.seeds import seed_spread


def test_the_digits_follow_the_spread():
    assert seed_spread([2.16]) == "2.16"
    assert seed_spread(np.array([3.351, 3.352, 3.350])) == "3.35 ±<1%"
    assert seed_spread([8.0, 6.5, 10.9]) == "8.5 ± 2.2"
    assert seed_spread([11.0, 6.0, 16.0]) == "11 ± 5"
    assert seed_spread([0.50, 0.45, 0.55]) == "0.50 ± 0.05"


def test_a_format_chosen_on_a_knife_edge_is_refused():
    with pytest.raises(ValueError, match="1%"):
        seed_spread([1.0, 1.01, 0.99])  # std exactly 1% of the mean
    with pytest.raises(ValueError, match="power of ten"):
        seed_spread([9.0, 10.1, 11.0])  # 0 or 1 decimal: too close to call


@pytest.mark.parametrize("values", [[], [1.0, float("inf")], [1.0, -1.0]])
def test_bad_values_are_named(values):
    with pytest.raises(ValueError, match="values"):
        seed_spread(values)


def test_a_non_number_is_a_type_error():
    with pytest.raises(TypeError, match="values"):
        seed_spread(["a", "b"])
