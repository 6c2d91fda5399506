// At API start: whatever was queued or running belonged to a process that is gone.
MATCH (j:Job) WHERE j.status IN ['queued', 'running']
SET j.status = 'failed', j.finished_at = datetime(),
    j.error = 'interrupted: the API process restarted while the job was ' + j.status + '; run it again'
RETURN count(j) AS interrupted
