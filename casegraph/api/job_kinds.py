"""The kinds of job the API can run, by name; each points at a function `(JobContext, params)`."""

from __future__ import annotations

from casegraph.graph.jobs import register_kind

register_kind("ring-detection", "casegraph.detect.jobs:run_ring_detection")
register_kind("bundle", "casegraph.bundle.jobs:run_bundle_job")
