CREATE (j:Job {id: $id, kind: $kind, status: 'queued', progress: 0.0, message: 'queued', agency: $agency,
               user: $user, params: $params, created_at: datetime(), cancel_requested: false})
RETURN j {.*} AS job
