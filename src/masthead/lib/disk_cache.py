"""The embedded default cache: diskcache's Django backend, kept open across requests."""

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """Django closes every cache when a request ends; for diskcache that means
    reopening (and re-tuning) each shard's SQLite connection on the next
    request, which cost about 2 ms a request. The connections are per thread
    and safe to keep, like the database's own (CONN_MAX_AGE=None)."""

    def close(self, **kwargs):
        pass
