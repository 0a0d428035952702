"""Errors raised by parsers and loaders: each names where (file/URL, row, column) and why."""

from __future__ import annotations


class SourceFormatError(ValueError):
    """An upstream file is not what it claims to be.

    ``location`` names the file or URL (and sheet/member when relevant); ``row`` and
    ``column`` narrow it down where known; ``reason`` says what is wrong, in one line.
    """

    def __init__(
        self,
        location: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.location = location
        self.reason = reason
        self.row = row
        self.column = column
        where = location
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # Exceptions pickle as cls(*args), which this __init__ cannot take: a file read on a
        # Dask worker sends its error back to the writer pickled, so rebuild it whole.
        return (_rebuild, (type(self), self.args, self.__dict__))


class SchemaDriftError(SourceFormatError):
    """Expected columns are missing (renamed or removed upstream)."""

    def __init__(self, location: str, missing: list[str], found: list[str] | None = None) -> None:
        self.missing = list(missing)
        reason = "missing expected column(s): " + ", ".join(repr(m) for m in missing)
        if found is not None:
            reason += " (found: " + ", ".join(repr(f) for f in found[:20]) + ")"
        super().__init__(location, reason)


class MemberAbsent(Exception):
    """An archive lacks a member that only some of its releases (or trimmed copies) hold:
    the source reading it is skipped with this message, not failed."""


def _rebuild(cls: type[SourceFormatError], args: tuple, state: dict) -> SourceFormatError:
    error = cls.__new__(cls, *args)
    error.__dict__.update(state)
    return error
