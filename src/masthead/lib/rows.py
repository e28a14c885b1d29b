"""Model instances read with hand-written SQL, for the few lookups on a hot path.

Building a queryset's SQL costs several times what the database spends on a
one-row lookup by key (about 0.45 ms against 0.05 ms for a post, on every
comment POST). ``Rows`` keeps a model's column list, and the converters the ORM
would apply to each column, so a query written once gives the same instances a
queryset would: the same Python values, and the left-out fields deferred.
"""

from django.db import connection


class Rows:
    def __init__(self, model, *, defer: tuple[str, ...] = ()):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.attname not in defer]
        self.attnames = [f.attname for f in self.fields]
        self.table = model._meta.db_table
        self._converters = {}

    @property
    def columns(self) -> str:
        """The select list, in the order ``instance`` reads a row."""
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.table)}.{quote(f.column)}" for f in self.fields)

    def first(self, sql: str, params: list):
        """The instance for the first row ``sql`` returns (it selects ``columns``), or None."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else self.instance(row)

    def instance(self, row):
        values = list(row)
        for index, converters, column in self._converters_for(connection.vendor):
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)

    def _converters_for(self, vendor: str) -> list:
        if vendor not in self._converters:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.table)
                converters = connection.ops.get_db_converters(column)
                converters += field.get_db_converters(connection)
                if converters:
                    found.append((index, converters, column))
            self._converters[vendor] = found
        return self._converters[vendor]
