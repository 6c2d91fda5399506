// Jobs still queued or running whose process is gone or stopping ($ids, or all when null: at API
// start, whatever was unfinished belonged to a process that is gone). The error is the JSON of a
// failure (casegraph/failures.py): code, message, hint, no reference (nothing raised).
MATCH (j:Job) WHERE j.status IN ['queued', 'running'] AND ($ids IS NULL OR j.id IN $ids)
WITH j, j.status AS was
SET j.status = 'failed', j.finished_at = datetime(), j.message = 'interrupted',
    j.error = '{"code": "interrupted", "message": "the API process stopped while the job was ' + was +
              '", "hint": "start the job again", "ref": null}'
RETURN count(j) AS interrupted
