"""Named numpy arrays and string lists <-> one compact byte string (a warehouse BLOB).

The title classifier's state (reference keys, centroid index, model weights) is saved per
classifier version so that ``outlook classify`` loads it in well under a second instead
of recomputing it (~20 s). ``np.savez`` without pickles keeps the format plain and safe
to load; string lists are stored as one newline-joined UTF-8 array each, because a numpy
unicode array pads every string to the longest (hundreds of MB for the model features).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["pack", "unpack"]

_STRINGS = "s:"  # array-name prefix marking a joined string list
_SEP = "\n"


def pack(arrays: Mapping[str, np.ndarray], strings: Mapping[str, Sequence[str]]) -> bytes:
    """One byte string holding ``arrays`` and the string lists ``strings``."""
    out = dict(arrays)
    for name, values in strings.items():
        text = _SEP.join(values)
        if text.count(_SEP) != max(len(values) - 1, 0):
            raise ValueError(f"{name}: a string contains a newline; cannot pack it")
        # the count tells an empty list from a list of one empty string
        out[_STRINGS + name] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        out[_STRINGS + name + ":n"] = np.asarray([len(values)], dtype=np.int64)
    buffer = io.BytesIO()
    np.savez(buffer, **out)
    return buffer.getvalue()


def unpack(blob: bytes) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """Inverse of ``pack``: (arrays, string lists)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        loaded = {name: data[name] for name in data.files}
    arrays: dict[str, np.ndarray] = {}
    strings: dict[str, list[str]] = {}
    for name, value in loaded.items():
        if not name.startswith(_STRINGS):
            arrays[name] = value
        elif not name.endswith(":n"):
            count = int(loaded[name + ":n"][0])
            text = value.tobytes().decode("utf-8")
            strings[name[len(_STRINGS) :]] = text.split(_SEP) if count else []
    return arrays, strings
