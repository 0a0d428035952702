"""transforms.array_blob: arrays and string lists survive the byte string exactly."""

from __future__ import annotations

import numpy as np
import pytest

from transforms.array_blob import pack, unpack


def test_arrays_and_strings_round_trip_exactly() -> None:
    arrays = {
        "f": np.array([0.1, 1e-300, -2.5, np.nan]),
        "i": np.arange(5, dtype=np.int32),
        "empty": np.zeros(0, dtype=np.int64),
    }
    strings = {
        "words": ["registered nurse", "c: nu", "", "é ü ß"],
        "none": [],
        "one_empty": [""],
    }
    got_arrays, got_strings = unpack(pack(arrays, strings))
    assert got_strings == strings
    assert set(got_arrays) == set(arrays)
    for name, value in arrays.items():
        assert got_arrays[name].dtype == value.dtype
        np.testing.assert_array_equal(got_arrays[name], value)


def test_a_string_with_a_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="newline"):
        pack({}, {"bad": ["a\nb"]})
