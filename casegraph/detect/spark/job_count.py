"""How many Spark jobs and stages one detection run cost, from the context's status tracker.

At ledger sizes up to a few million transfers a run's time is mostly Spark's fixed cost per job
and per stage (planning, scheduling, a shuffle's files), not the rows: the count is what the
engine keeps small, and the benchmark prints it beside the wall time. The run's actions are
tagged with one job group; a stage counts as run when it completed a task (a stage whose shuffle
output an earlier job left behind is skipped and costs next to nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["JobCount", "counted_jobs"]


@dataclass
class JobCount:
    jobs: int = 0
    stages: int = 0  # stages that ran at least one task
    tasks: int = 0


@contextmanager
def counted_jobs(spark: SparkSession) -> Iterator[JobCount]:
    """Tag the Spark actions inside the block; the count is filled in when the block ends."""
    context = spark.sparkContext
    group = f"casegraph-detect-{uuid.uuid4().hex}"
    context.setJobGroup(group, "casegraph ring detection")
    count = JobCount()
    try:
        yield count
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]
        tracker = context.statusTracker()
        jobs = tracker.getJobIdsForGroup(group)
        stages = {stage for job in jobs if (info := tracker.getJobInfo(job)) for stage in info.stageIds}
        ran = [done for stage in stages if (done := tracker.getStageInfo(stage)) and done.numCompletedTasks]
        count.jobs, count.stages, count.tasks = len(jobs), len(ran), sum(s.numCompletedTasks for s in ran)
