"""Bad rows of a user's table: found, counted, explained, written to a side file.

:func:`clean_transactions` splits a transaction table into the rows an analysis can use
and the rows it cannot, with a reason for each (an empty customer id, a date that is not
a date, a missing, non-numeric, infinite or negative amount). Nothing is dropped silently:
the rejected rows go to ``OUT.rejected.csv`` (their row number in the file, the reason,
and every column as read) and the terminal summary counts them by reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dates import NULLS, parse_dates
from .files import CLIError

__all__ = ["Rejections", "clean_ids", "clean_transactions", "parse_amounts", "summary_lines"]

#: Most row numbers a terminal summary lists per reason.
SHOW = 5


class Rejections:
    """Reasons collected per row of a table; the rows with any reason are rejected.

    Rows are counted by position: row 1 is the first row after the header.
    """

    def __init__(self, n: int):
        self.n = n
        self.bad = np.zeros(n, dtype=bool)
        self.details: dict[int, list[str]] = {}
        self.kinds: dict[str, list[int]] = {}

    def add(self, bad, kind: str, detail) -> None:
        """Reject the rows where ``bad`` is true.

        ``detail`` is one text for all of them, or a function that gets the positions of
        the bad rows and returns one text per row (only called when a row is bad).
        """
        bad = np.asarray(bad, dtype=bool)
        if not bad.any():
            return
        positions = np.flatnonzero(bad)
        texts = [detail] * len(positions) if isinstance(detail, str) else list(detail(positions))
        for position, text in zip(positions.tolist(), texts):
            self.details.setdefault(position, []).append(text)
        self.kinds.setdefault(kind, []).extend(positions.tolist())
        self.bad |= bad

    @property
    def mask(self) -> np.ndarray:
        return self.bad

    def first(self) -> str:
        """The first rejected row and its reason, for a message."""
        position = min(self.details)
        return f"row {position + 1}: {'; '.join(self.details[position])}"

    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rejected rows of ``frame``: ``row``, ``reason``, then every column as read."""
        positions = np.flatnonzero(self.bad)
        out = frame.iloc[positions].copy()
        out.insert(0, "reason", ["; ".join(self.details[p]) for p in positions.tolist()])
        out.insert(0, "row", positions + 1)
        return out.reset_index(drop=True)

    def summary(self, total: int) -> list[str]:
        """Lines for the terminal: how many rows, and per reason how many and which."""
        kinds = {}
        for kind, positions in self.kinds.items():
            rows = sorted(set(positions))
            kinds[kind] = (len(rows), [p + 1 for p in rows[:SHOW]])
        return summary_lines(total, int(self.bad.sum()), kinds)


def summary_lines(total: int, rejected: int, kinds: dict) -> list[str]:
    """The terminal's account of rejected rows, for either engine: how many of ``total``,
    then per reason how many and which (``kinds``: reason -> (rows, first row numbers))."""
    if not rejected:
        return [f"rejected 0 of {total:,} rows"]
    lines = [f"rejected {rejected:,} of {total:,} rows ({rejected / total:.1%}):"]
    for kind, (n, first) in kinds.items():
        shown = ", ".join(str(r) for r in first[:SHOW]) + (" …" if n > SHOW else "")
        lines.append(f"  {n:,} {kind} (row{'s' if n > 1 else ''} {shown})")
    return lines


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text; missing cells become ''."""
    return values.astype(object).fillna("").astype(str).str.strip()


def clean_ids(values: pd.Series, rejections: Rejections, *, name: str, what: str = "customer id"):
    """Ids as text, or as integers when every id is a plain whole number (no leading 0)."""
    if values.dtype.kind == "f":
        bad = values.isna().to_numpy()
        rejections.add(bad, f"empty {what}", f"empty {what}")
        whole = values[~bad]
        if (whole == np.round(whole)).all():
            return values.fillna(0).astype("int64")
        return values
    if values.dtype.kind in "iu":
        return values
    text = _text(values)
    empty = text.str.lower().isin(NULLS).to_numpy()
    rejections.add(empty, f"empty {what}", lambda at: [
        f"empty {what}" if t == "" else f"empty {what} ({t!r})" for t in text.iloc[at]])
    present = text[~empty]
    if len(present) and present.str.len().max() <= 18:
        numbers = pd.to_numeric(present, errors="coerce")
        if np.isfinite(numbers).all() and (numbers == numbers.round()).all():   # '1e309': inf
            whole = numbers.astype("int64")
            if (whole.astype(str) == present).all():     # no leading zeros, signs, decimals
                return text.where(~empty, "0").astype("int64")
    return text


def parse_amounts(values: pd.Series, rejections: Rejections, *, name: str,
                  negative: str = "reject") -> pd.Series:
    """Amounts as floats; missing, non-numeric, infinite (and negative) ones rejected."""
    if values.dtype.kind == "b":
        raise CLIError(f"column {name!r} holds true/false values, not amounts.")
    if values.dtype.kind in "iuf":
        numbers = values.astype(float)
        text = values.astype(str)
        blank = numbers.isna().to_numpy()
        unreadable = np.zeros(len(values), dtype=bool)
    else:
        text = _text(values)
        blank = text.str.lower().isin(NULLS).to_numpy()
        numbers = pd.to_numeric(text.where(~blank, None), errors="coerce").astype(float)
        unreadable = ~blank & numbers.isna().to_numpy()
    rejections.add(blank, "missing amount", "missing amount")
    rejections.add(unreadable, "non-numeric amount",
                   lambda at: [f"amount {t!r} is not a number" for t in text.iloc[at]])
    infinite = np.isinf(numbers.to_numpy())
    rejections.add(infinite, "infinite amount",
                   lambda at: [f"amount {t!r} is not finite" for t in text.iloc[at]])
    if not (~(blank | unreadable)).any():
        shown = text[~blank].head(3).tolist()
        raise CLIError(f"column {name!r} holds no number" + (f" (e.g. {shown})" if shown else
                                                            " (every cell is empty)")
                       + "; is it the amount column? Set it with --amount NAME.")
    if negative == "reject":
        below = (numbers < 0).to_numpy()
        rejections.add(below, "negative amount", lambda at: [
            f"negative amount {x:g} (a return?)" for x in numbers.iloc[at]])
    return numbers


def clean_transactions(frame: pd.DataFrame, *, customer: str, date: str, amount: str,
                       timezone=None, date_format=None, order=None, negative: str = "reject"):
    """Split a transaction table into usable rows and rejected rows.

    Returns ``(log, rejections, notes)``: ``log`` has the columns ``customer``, ``date``,
    ``amount`` (ids, naive dates, float amounts) for the usable rows only, with the
    original index (it may be empty: the caller writes the rejected rows, then stops); ``rejections`` a :class:`Rejections`; ``notes`` what the date reader
    decided (zones, day/month order).
    """
    rejections = Rejections(len(frame))
    ids = clean_ids(frame[customer], rejections, name=customer)
    dates, reasons, notes = parse_dates(frame[date], timezone=timezone, date_format=date_format,
                                        order=order, name=date)
    bad_date = reasons.notna().to_numpy()
    said = reasons.to_numpy(dtype=object)
    blank = bad_date & (said == "missing date")
    rejections.add(blank, "missing date", "missing date")
    rejections.add(bad_date & ~blank, "unreadable date", lambda at: said[at])
    money = parse_amounts(frame[amount], rejections, name=amount, negative=negative)
    keep = ~rejections.mask
    log = pd.DataFrame({customer: ids[keep], date: dates[keep], amount: money[keep]})
    if log[customer].dtype == object:
        kinds_of_ids = {type(x).__name__ for x in log[customer]}
        if len(kinds_of_ids) > 1:
            log[customer] = log[customer].astype(str)
    return log, rejections, notes
