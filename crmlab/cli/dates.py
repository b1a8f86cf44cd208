"""Dates as people write them, read one way only, or refused with the rows named.

Read without options:

* ISO dates, with or without a time: ``2024-01-31``, ``2024/01/31``, ``2024.1.31``,
  ``2024-01-31 18:05``, ``2024-01-31T18:05:00.250``;
* 8-digit numbers or text ``20240131`` (also ``20240131.0``, as spreadsheets write them);
* Chinese dates ``2024年1月31日`` (with an optional time);
* dates with a month name: ``31 Jan 2024``, ``January 31, 2024``;
* day and month as numbers (``31/01/2024``, ``01/31/2024``) when the column itself shows
  the order (a first number above 12 means day first); otherwise ``--dayfirst`` or
  ``--monthfirst`` must say it, and the command refuses to guess;
* time zones written as ``Z``, ``UTC``, ``+08:00``, ``+0800`` or ``+08``. One zone in the
  column: dates keep their local date and time as written. Several zones: every date is
  converted to UTC first, so that one instant is one date. ``--timezone ZONE`` converts
  every zoned date to ZONE instead (e.g. ``Asia/Shanghai``); dates without a zone are taken
  as local time there. The command says which rule it applied.

Parquet columns keep their types: datetimes (naive or zoned, same rules), 8-digit
integers, and text as above. Anything else is a bad row, with the reason.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .files import CLIError

__all__ = ["NULLS", "parse_dates"]

#: Cell texts read as "no value" in id, date and amount columns.
NULLS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "nat", "-"})

_TIME = r"(?:[T ]\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
_ZONE = r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
_FORMS = {
    "iso": re.compile(r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
                      + _TIME + _ZONE + r"$", re.I),
    "compact": re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\.0+)?$"),
    "chinese": re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?\s*"
                          r"(?:(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?$"),
    "numeric": re.compile(r"^(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
                          + _TIME + _ZONE + r"$", re.I),
}


def parse_dates(values: pd.Series, *, timezone: str | None = None, date_format: str | None = None,
                order: str | None = None, name: str = "date"):
    """Parse a column of dates.

    Returns ``(dates, reasons, notes)``: naive ``datetime64[ns]`` dates (NaT where bad),
    a Series with the reason each bad row is bad (None elsewhere) and the sentences that
    say how zones or day/month order were read. Raises :class:`CLIError` when the whole
    column is unreadable as dates or its day/month order cannot be told.

    ``order``: ``"dayfirst"`` or ``"monthfirst"`` for dates like 03/04/2024.
    """
    zone = _zone(timezone)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return _typed_zoned(values, zone, name)
    if values.dtype.kind == "M":
        dates = values.astype("datetime64[ns]")
        return dates, _reasons(dates.isna(), "missing date", values.index), []
    if values.dtype.kind == "b":
        raise CLIError(f"column {name!r} holds true/false values, not dates.")
    if values.dtype.kind in "iuf":
        numbers = values.astype(float)
        text = pd.Series(np.where(numbers.notna(), numbers.map(lambda x: f"{x:.0f}"
                                                                if np.isfinite(x) else str(x)),
                                  ""), index=values.index, dtype=object)
        return _parse_text(text, zone, None, order, name)
    if isinstance(values.dtype, pd.StringDtype):          # CSV cells (read as text)
        return _parse_text(values.fillna(""), zone, date_format, order, name)
    objects = values.astype(object)
    is_text = objects.map(lambda x: isinstance(x, str) or x is None or
                          (isinstance(x, float) and np.isnan(x))).to_numpy(dtype=bool)
    text = objects.where(is_text, "").map(lambda x: "" if x is None or
                                          (isinstance(x, float) and np.isnan(x)) else x)
    dates, reasons, notes = _parse_text(text.astype(object), zone, date_format, order, name)
    if (~is_text).any():                 # date or datetime objects (e.g. from Parquet)
        for k in np.flatnonzero(~is_text):
            try:
                stamp = pd.Timestamp(objects.iloc[k])
                if stamp.tzinfo is not None:
                    stamp = (stamp.tz_convert(zone) if zone else stamp).tz_localize(None)
                dates.iloc[k], reasons.iloc[k] = stamp, None
            except (TypeError, ValueError, OverflowError):
                reasons.iloc[k] = f"{objects.iloc[k]!r} is not a date"
    return dates, reasons, notes


def _zone(timezone):
    if timezone is None:
        return None
    try:
        pd.Timestamp("2000-01-01", tz=timezone)
    except Exception:
        raise CLIError(f"unknown --timezone {timezone!r}; use a name like UTC or "
                       f"Asia/Shanghai.") from None
    return timezone


def _reasons(bad, reason, index) -> pd.Series:
    out = pd.Series(None, index=index, dtype=object)
    out[np.asarray(bad, dtype=bool)] = reason
    return out


def _typed_zoned(values, zone, name):
    source = str(values.dt.tz)
    if zone:
        dates = values.dt.tz_convert(zone).dt.tz_localize(None)
        note = f"column {name!r}: dates in zone {source} converted to {zone}"
    else:
        dates = values.dt.tz_localize(None)
        note = (f"column {name!r}: dates carry the zone {source}; their local date and time "
                f"are used as written (pass --timezone to convert)")
    dates = dates.astype("datetime64[ns]")
    return dates, _reasons(dates.isna(), "missing date", values.index), [note]


def _parse_text(text: pd.Series, zone, date_format, order, name):
    cells = text.astype(str).str.strip()
    missing = cells.str.lower().isin(NULLS).to_numpy()
    reasons = _reasons(missing, "missing date", cells.index)
    dates = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if date_format:
        parsed = pd.to_datetime(cells.where(~missing), format=date_format, errors="coerce")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = (parsed.dt.tz_convert(zone) if zone else parsed).dt.tz_localize(None)
        bad = ~missing & parsed.isna().to_numpy()
        reasons[bad] = [f"{v!r} does not match --date-format {date_format!r}"
                        for v in cells[bad]]
        return parsed.astype("datetime64[ns]"), reasons, []
    parts = pd.DataFrame(np.nan, index=cells.index,
                         columns=["year", "month", "day", "hour", "minute", "second"])
    fraction = pd.Series("", index=cells.index, dtype=object)
    zones = pd.Series(None, index=cells.index, dtype=object)
    todo = ~missing
    fast = _fast(cells, todo)                  # exact ISO and YYYYMMDD, vectorised
    done = fast.notna().to_numpy()
    dates[done] = fast[done]
    todo &= ~done
    notes = []
    for form, pattern in _FORMS.items():
        if not todo.any():
            break
        found = cells[todo].str.extract(pattern)
        hit = found.dropna(how="all").index
        if not len(hit):
            continue
        found = found.loc[hit]
        if form == "numeric":
            found, note = _day_month(found, cells.loc[hit], order, name)
            notes += note
        parts.loc[hit, "year"] = found["y"].astype(float)
        parts.loc[hit, "month"] = found["m"].astype(float)
        parts.loc[hit, "day"] = found["d"].astype(float)
        for col, key in (("hour", "H"), ("minute", "M"), ("second", "S")):
            if key in found:
                parts.loc[hit, col] = found[key].astype(float)
        if "f" in found:
            fraction[hit] = found["f"].fillna("")
        if "tz" in found:
            zones[hit] = found["tz"]
        todo[cells.index.get_indexer(hit)] = False
    parsed_any = ~missing & ~todo & ~done
    if parsed_any.any():
        dates[parsed_any] = _assemble(parts[parsed_any], fraction[parsed_any])
    invalid = parsed_any & dates.isna().to_numpy()
    far = invalid & ~parts["year"].between(_FIRST.year + 1, _LAST.year - 1).to_numpy()
    reasons[invalid & ~far] = [f"{v!r} is not a valid calendar date"
                               for v in cells[invalid & ~far]]
    reasons[far] = [f"{v!r} is outside the years {_FIRST.year + 1}–{_LAST.year - 1} this "
                    f"tool reads" for v in cells[far]]
    rest = todo & cells.str.contains(r"[A-Za-z]{3}", regex=True).to_numpy() & \
        cells.str.contains(r"\d{4}", regex=True).to_numpy()
    if rest.any():
        dates[rest] = _named_months(cells[rest])
    unknown = todo & dates.isna().to_numpy()
    reasons[unknown] = [f"{v!r} is not a date in a known form (e.g. 2024-01-31)"
                        for v in cells[unknown]]
    if not (~missing).any() or dates.notna().sum() == 0:
        shown = cells[~missing].head(3).tolist()
        raise CLIError(f"column {name!r} holds no readable date"
                       + (f" (e.g. {shown})" if shown else " (every cell is empty)")
                       + "; give ISO dates like 2024-01-31, or pass --date-format "
                         "(e.g. '%d.%m.%Y').")
    dates, zone_notes = _apply_zones(dates, zones, zone, name)
    return dates, reasons, notes + zone_notes


#: The common forms parsed first, in C, when a cell has exactly this length; the rest go
#: through the patterns of :data:`_FORMS`.
_FAST = (("%Y-%m-%d", 10), ("%Y%m%d", 8), ("%Y-%m-%d %H:%M:%S", 19), ("%Y/%m/%d", 10))


def _fast(cells: pd.Series, todo: np.ndarray) -> pd.Series:
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    length = cells.str.len().to_numpy()
    for form, size in _FAST:
        pick = todo & out.isna().to_numpy() & (length == size)
        if pick.any():
            parsed = pd.to_datetime(cells[pick], format=form, errors="coerce")
            # a year pandas cannot hold in nanoseconds (0001, 2300) comes back in another
            # unit: left to the general path, which gives the row its reason
            ok = parsed.notna() & parsed.between(_FIRST, _LAST)
            out[parsed.index[ok]] = parsed[ok].astype("datetime64[ns]")
    return out


def _day_month(found, cells, order, name):
    """Decide day/month order of dates like 03/04/2024 from the column or ``order``."""
    a, b = found["a"].astype(int), found["b"].astype(int)
    if order is None:
        day_first = ((a > 12) & (b <= 12)).to_numpy()      # 31/01/2024
        month_first = ((b > 12) & (a <= 12)).to_numpy()    # 01/31/2024
        if day_first.any() and month_first.any():
            raise CLIError(
                f"column {name!r} mixes day/month/year ({cells[day_first].iloc[0]!r}, row "
                f"{_row(cells.index[day_first][0])}) and month/day/year "
                f"({cells[month_first].iloc[0]!r}, row {_row(cells.index[month_first][0])}); "
                f"fix the file, or pass --dayfirst or --monthfirst to read them all one way.")
        if not day_first.any() and not month_first.any() and ((a <= 12) & (b <= 12)).any():
            rows = ", ".join(str(_row(i)) for i in cells.index[:5])
            raise CLIError(f"column {name!r} has dates like {cells.iloc[0]!r} (rows {rows}"
                           f"{' …' if len(cells) > 5 else ''}) that could be day/month or "
                           f"month/day; pass --dayfirst or --monthfirst.")
        order = "dayfirst" if day_first.any() else "monthfirst"
        evidence = day_first if day_first.any() else month_first
        notes = [f"column {name!r}: dates like {cells.iloc[0]!r} read as "
                 f"{'day/month/year' if order == 'dayfirst' else 'month/day/year'} "
                 f"(the column has {cells[evidence].iloc[0]!r})"] if evidence.any() else []
    else:
        notes = []
    found = found.copy()
    found["d"], found["m"] = (a, b) if order == "dayfirst" else (b, a)
    return found, notes


def _row(index_label) -> int:
    return int(index_label) + 1


#: The dates a nanosecond timestamp holds, whole days (pandas' Timestamp.min/max).
_FIRST, _LAST = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")


def _assemble(parts: pd.DataFrame, fraction: pd.Series) -> pd.Series:
    whole = parts.fillna({"hour": 0, "minute": 0, "second": 0})
    # pandas rolls 25:00 over into the next day; a clock time out of range is no date
    clock_ok = (whole["hour"] <= 23) & (whole["minute"] <= 59) & (whole["second"] <= 59)
    in_range = whole["year"].between(_FIRST.year + 1, _LAST.year - 1)
    whole = whole.where(clock_ok & in_range)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = pd.to_datetime(whole, errors="coerce")
    micro = fraction.map(lambda f: int((f + "000000")[:6]) if f else 0).astype("int64")
    return out + pd.to_timedelta(micro.to_numpy(), unit="us")


def _named_months(cells: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    for label, cell in cells.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                stamp = pd.Timestamp(cell)
            if stamp.tzinfo is None:
                out[label] = stamp
        except (ValueError, TypeError, OverflowError):
            pass
    return out


def _dates(n) -> str:
    return f"{int(n):,} date" + ("" if int(n) == 1 else "s")


def _offset_minutes(text: str) -> int:
    text = text.upper()
    if text in ("Z", "UTC", "GMT"):
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0))


def _apply_zones(dates, zones, zone, name):
    zoned = zones.notna().to_numpy() & dates.notna().to_numpy()
    if not zoned.any():
        return dates, []
    offsets = zones[zoned].map(_offset_minutes)
    plain = int((~zoned & dates.notna().to_numpy()).sum())
    distinct = sorted(set(offsets))
    shown = ", ".join(sorted(set(zones[zoned].str.upper())))[:60]
    if zone is None and len(distinct) == 1:
        verb = "carries" if int(zoned.sum()) == 1 else "carry"
        note = (f"column {name!r}: {_dates(zoned.sum())} {verb} the time zone {shown}; their "
                f"local date and time are used as written")
        return dates, [note + (f" ({_dates(plain)} without a zone taken as the same zone)"
                               if plain else "")]
    target = zone or "UTC"
    instants = (dates[zoned] - pd.to_timedelta(offsets.to_numpy(), unit="min"))
    local = instants.dt.tz_localize("UTC").dt.tz_convert(target).dt.tz_localize(None)
    dates = dates.copy()
    dates[zoned] = local.astype("datetime64[ns]")
    why = "" if zone else f" because the column has {len(distinct)} time zones ({shown})"
    note = (f"column {name!r}: {_dates(zoned.sum())} with a time zone converted to {target}{why}"
            + (f"; {_dates(plain)} without a zone taken as {target} local time" if plain else "")
            + ("" if zone else "; pass --timezone to choose the zone"))
    return dates, [note]
