MATCH (j:Job {id: $id})
SET j.status = $status, j.finished_at = datetime(), j.message = $message, j.error = $error,
    j.result = $result, j.progress = CASE WHEN $status = 'succeeded' THEN 1.0 ELSE j.progress END
RETURN j {.*} AS job
