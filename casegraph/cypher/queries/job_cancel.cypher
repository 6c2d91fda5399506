// Queued jobs stop at once; running ones at their next progress report.
MATCH (j:Job {id: $id})
SET j.cancel_requested = true,
    j.status = CASE WHEN j.status = 'queued' THEN 'cancelled' ELSE j.status END,
    j.finished_at = CASE WHEN j.status = 'queued' THEN datetime() ELSE j.finished_at END
RETURN j {.*} AS job
