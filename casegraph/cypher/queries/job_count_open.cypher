// Jobs of these kinds that an agency has queued or running (the per-agency bound on job queues).
MATCH (j:Job) WHERE j.agency = $agency AND j.kind IN $kinds AND j.status IN ['queued', 'running']
RETURN count(j) AS open
