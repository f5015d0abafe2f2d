"""Russian banking rules: working days of the production calendar, and the control keys of bank details."""

import datetime
import functools

import holidays

# The Bank of Russia's weights for the control key of an account (Положение ЦБ РФ № 579-П, прил. 2).
ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]


@functools.cache
def _calendar(year: int) -> holidays.HolidayBase:
    # holidays.RU carries the days off moved by government decree and the Saturdays made working days.
    return holidays.RU(years=year)


def is_working_day(day: datetime.date) -> bool:
    """Whether a day is a working day in Russia: no weekend, holiday or moved day off; a moved working Saturday is."""
    return _calendar(day.year).is_working_day(day)


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same time of day, `days` Russian working days later."""
    while days > 0:
        moment += datetime.timedelta(days=1)
        if is_working_day(moment.date()):
            days -= 1
    return moment


def account_key_ok(*, bik: str, account: str) -> bool:
    """Whether a 20-digit account passes its control key against the bank's БИК (settlement accounts).

    A correspondent account (301…) is checked with «0» and the БИК's 5th–6th digits, any other with its last three.
    """
    if not (bik.isdigit() and len(bik) == 9 and account.isdigit() and len(account) == 20):
        return False
    key = "0" + bik[4:6] if account.startswith("301") else bik[-3:]
    return sum(int(d) * w % 10 for d, w in zip(key + account, ACCOUNT_WEIGHTS, strict=True)) % 10 == 0
