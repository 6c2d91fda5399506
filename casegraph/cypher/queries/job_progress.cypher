// Progress of a running job; answers whether the job was asked to stop.
MATCH (j:Job {id: $id})
SET j.status = CASE WHEN j.status = 'queued' THEN 'running' ELSE j.status END,
    j.started_at = coalesce(j.started_at, datetime()),
    j.progress = $progress, j.message = $message
RETURN j.cancel_requested AS cancel_requested
