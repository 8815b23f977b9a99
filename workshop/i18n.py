"""Dates, times and numbers in the page's language: the Jinja filters every template uses, registered
in one place (``init_app``). French pages say « mardi 4 mai 2010 » and 14:30; English ones say
"Tuesday, May 4, 2010" and 2:30 PM. Counts with a noun go through ``ngettext`` in the templates."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from babel.dates import format_interval
from babel.lists import format_list
from flask import Flask
from flask_babel import (
    format_date,
    format_decimal,
    format_number,
    format_percent,
    format_time,
    get_locale,
    gettext,
    to_user_timezone,
)


def as_date(value: dt.date | dt.datetime | str | None) -> dt.date | None:
    """A date from a date, a datetime or an ISO string (the workshop's ``dates`` are strings)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return to_user_timezone(_aware(value)).date()  # the day it is where the workshop runs
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:  # never a broken page for a date the template validation let through
        return None


def venue_zone() -> dt.tzinfo:
    """The venue's time zone (WORKSHOP_TIMEZONE): where "14:30" typed on the console is read."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives naive datetimes back; they are stored in UTC (workshop/clock.py).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def long_date(value) -> str:
    """« mardi 4 mai 2010 » / "Tuesday, May 4, 2010"."""
    day = as_date(value)
    return format_date(day, "full") if day is not None else ""


def medium_date(value) -> str:
    """« 4 mai 2010 » / "May 4, 2010": a deadline in a table."""
    day = as_date(value)
    return format_date(day, "medium") if day is not None else ""


def time_of_day(value: dt.datetime | dt.time | None) -> str:
    """« 14:30 » / "2:30 PM", in the app's time zone (BABEL_DEFAULT_TIMEZONE)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_time(_aware(value), "short")
    return format_time(value, "short")


def date_time(value: dt.datetime | None) -> str:
    """« mardi 4 mai 2010 à 14:30 » / "Tuesday, May 4, 2010 at 2:30 PM", in the app's time zone."""
    if value is None:
        return ""
    return gettext("%(date)s at %(time)s", date=long_date(value), time=time_of_day(value))


def date_span(values: Iterable) -> str:
    """The days of a workshop: one day in full, consecutive days as a range (« 4–5 mai 2010 »),
    scattered days as a list."""
    days = sorted({day for day in (as_date(v) for v in values or ()) if day is not None})
    if not days:
        return ""
    if len(days) == 1:
        return long_date(days[0])
    locale = get_locale()
    if all((b - a).days == 1 for a, b in itertools.pairwise(days)):
        return format_interval(days[0], days[-1], "yMMMMd", locale=locale)
    return format_list([medium_date(day) for day in days], locale=locale)


def number(value) -> str:
    """A count: « 1 234 » / "1,234"."""
    return format_number(value) if value is not None else ""


def decimal(value, digits: int = 1) -> str:
    """« 3,5 » / "3.5", with at most ``digits`` decimals."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * digits if digits > 0 else "#,##0")


def percent(value) -> str:
    """« 42 % » / "42%" from 0.42."""
    return format_percent(value) if value is not None else ""


FILTERS = {
    "long_date": long_date,
    "medium_date": medium_date,
    "time_of_day": time_of_day,
    "date_time": date_time,
    "date_span": date_span,
    "number": number,
    "decimal": decimal,
    "percent": percent,
}


def init_app(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
