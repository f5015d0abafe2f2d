"""Querysets compiled once per process with stand-in values, bound per request, prepared per connection.

`prepare` compiles a queryset and notes where each stand-in went among the parameters; `Prepared.bind` puts
a request's values there. On PostgreSQL psycopg prepares it on the connection once it has run a few times
(settings: `server_side_binding`, `prepare_threshold`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import BigIntegerField, Func, QuerySet
from django.utils import timezone

NOW = "now"


@dataclass(frozen=True)
class Prepared:
    sql: str
    params: tuple
    places: dict[str, tuple[int, ...]]
    # Column position: the functions that turn the database's value into the field's (SQLite's dates and
    # decimals), as the queryset would have applied them.
    converters: dict[int, tuple[list, object]]
    # The places whose values the backend passes as text (SQLite's dates and times).
    adapted: frozenset[str] = frozenset()

    def bind(self, connection, **values) -> list:
        """The parameters with this request's values in place (`now` defaults to the current time)."""
        params = list(self.params)
        if NOW in self.places and NOW not in values:
            values[NOW] = timezone.now()
        for name, positions in self.places.items():
            value = values[name]
            if name in self.adapted:
                value = connection.ops.adapt_datetimefield_value(value)
            for index in positions:
                params[index] = value
        return params

    def rows(self, using: str, **values) -> list[tuple]:
        """The rows, as `values_list()` of the queryset would give them."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(connection, **values))
            rows = cursor.fetchall()
        return self.converted(rows, connection)

    def converted(self, rows: list[tuple], connection) -> list[tuple]:
        """Rows as the database gave them, with the field converters the queryset would have applied."""
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in self.converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted


def rows_together(using: str, calls: list[tuple[Prepared, dict]]) -> list[list[tuple]]:
    """The rows of several prepared reads, in order: on PostgreSQL sent in one pipeline (one round trip
    instead of one each; psycopg's pipeline mode), elsewhere one after another."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not calls:
        return [prepared.rows(using, **values) for prepared, values in calls]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for prepared, values in calls:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(prepared.sql, prepared.bind(connection, **values))
        return [
            prepared.converted(cursor.fetchall(), connection)
            for (prepared, _values), cursor in zip(calls, cursors, strict=True)
        ]
    finally:
        for cursor in cursors:
            cursor.close()


def prepare(build: Callable[..., QuerySet], *, using: str, with_now: bool = False, **standins) -> Prepared:
    """Compile `build(**standins)` and find each stand-in among its parameters.

    Each stand-in must be a value no real request passes and must turn up once at least; with `with_now`,
    the moments `timezone.now()` gave while the queryset was built become the `now` place. Build a
    `values_list()` with the annotations last: `rows()` gives the columns in the order of the SQL.
    """
    connection = connections[using]
    started = timezone.now()
    compiler = build(**standins).query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    finished = timezone.now()
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    places, adapted = {}, set()
    for name, standin in standins.items():
        places[name] = tuple(i for i, value in enumerate(params) if type(value) is type(standin) and value == standin)
        if not places[name] and isinstance(standin, datetime):
            text = connection.ops.adapt_datetimefield_value(standin)
            places[name] = tuple(i for i, value in enumerate(params) if value == text)
            adapted.add(name)
    if with_now:
        places[NOW] = tuple(i for i, value in enumerate(params) if _between(value, started, finished))
        if any(isinstance(params[i], str) for i in places[NOW]):
            adapted.add(NOW)
    missing = [name for name, positions in places.items() if not positions]
    if missing:
        raise ImproperlyConfigured(f"The prepared query's parameters could not be placed: {', '.join(missing)}")
    taken = [position for positions in places.values() for position in positions]
    if len(taken) != len(set(taken)):
        raise ImproperlyConfigured("Two stand-ins of the prepared query share a value: give each its own")
    return Prepared(sql=sql, params=tuple(params), places=places, converters=converters, adapted=frozenset(adapted))


def _between(value, started: datetime, finished: datetime) -> bool:
    """Whether a parameter is a moment of the compilation: a datetime, or its text as SQLite takes it (UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return False
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
    return isinstance(value, datetime) and timezone.is_aware(value) and started <= value <= finished


# Stand-ins for a list of ids (`pk__in=`): one query text per length of the list.
_ID_STANDIN = -917_364_600


def id_standins(count: int) -> dict[str, int]:
    """Stand-ins for `count` ids, named as `id_values` names a request's ids."""
    return {f"id{n}": _ID_STANDIN - n for n in range(count)}


def id_values(ids) -> dict[str, int]:
    return {f"id{n}": pk for n, pk in enumerate(ids)}


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_microseconds(moment: datetime) -> int:
    """Microseconds since 1970 of an aware moment, exactly (integer arithmetic, as `EpochMicroseconds`)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


class EpochMicroseconds(Func):
    """A datetime column as microseconds since 1970, worked out by the database: an integer is read many
    times faster than a datetime is parsed, and equals `epoch_microseconds` of the column's value."""

    output_field = BigIntegerField()
    # PostgreSQL's EXTRACT gives numeric seconds with the microseconds exact.
    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps a datetime in SQLite as UTC text, «YYYY-MM-DD HH:MM:SS[.ffffff]»: whole seconds from
        # the Julian day (rounded, exact), the microseconds from the text.
        template = (
            "(CAST(round((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s || '.000000', 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)
