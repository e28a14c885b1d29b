"""The embedded default cache: diskcache's Django backend, kept open across requests."""

from diskcache import DjangoCache

COUNTERS = "counters"


class SharedDiskCache(DjangoCache):
    """Django closes every cache when a request ends; for diskcache that means
    reopening (and re-tuning) each shard's SQLite connection on the next
    request, which cost about 2 ms a request. The connections are per thread
    and safe to keep, like the database's own (CONN_MAX_AGE=None)."""

    def close(self, **kwargs):
        pass

    def counters(self):
        """One SQLite file for counters read and written together (rate limits): its
        ``transact()`` holds one lock for several of them, where the shards would
        take one write transaction each."""
        return self._cache.cache(COUNTERS)

    def clear(self):
        self.counters().clear()
        return super().clear()
