"""Days per time unit, for the modules that count time (``rfm``, ``btyd``, ``gamma_gamma``).

A month is the mean Gregorian month, 365.2425 / 12 days, so that 12 months make a year
whatever the calendar dates.
"""

from __future__ import annotations

__all__ = ["DAYS_PER_UNIT"]

#: Days in one unit of time, for every unit a table or a fit may be counted in.
DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 365.2425 / 12}
