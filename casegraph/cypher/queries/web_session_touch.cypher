// A session's idle clock restarted (written at most once a minute per session, not per call).
MATCH (s:WebSession {id_hash: $id_hash})
SET s.last_seen = $now
