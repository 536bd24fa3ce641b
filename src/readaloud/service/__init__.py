"""The newsroom service: an HTTP API for the CMS (app), durable jobs (jobs, store_sqlite, store_redis),
the workers that build them (embedded, tasks), and signed callbacks (callbacks, signing).

    readaloud serve     the API; embedded: builds in its own threads, jobs in SQLite
    readaloud worker    builds from the Redis queue, on any number of machines
    readaloud token     a new API token (only its hash is kept)

A CMS verifying callbacks needs only `readaloud.service.signing` (standard library only).
"""
