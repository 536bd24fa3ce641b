"""GET /metrics: Prometheus text, read from the job store at each scrape, so with Redis it counts the
work of every worker on every machine, and nothing is lost when a process restarts."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from readaloud.service.jobs import BUCKETS_S, JobStore


class StoreCollector(Collector):
    def __init__(self, store: JobStore):
        self.store = store

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily("readaloud_jobs", "Jobs by state.", labels=["state"])
        for state, count in self.store.counts().items():
            jobs.add_metric([state], count)
        yield jobs
        totals = self.store.totals()
        buckets = [(f"{bound:g}", totals[f"le_{bound:g}"]) for bound in BUCKETS_S]
        buckets.append(("+Inf", totals["builds"]))
        yield HistogramMetricFamily("readaloud_build_seconds", "Seconds from a job's start to its finish.",
                                    buckets=buckets, sum_value=totals["build_seconds_sum"])
        yield CounterMetricFamily("readaloud_engine_requests", "Chunks a speech engine was asked to speak "
                                  "(the rest came from the clip cache).", value=totals["engine_requests"])
        yield CounterMetricFamily("readaloud_fallbacks", "Builds spoken by the fallback engine.",
                                  value=totals["fallbacks"])


def exposition(store: JobStore) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(store))
    return generate_latest(registry)
