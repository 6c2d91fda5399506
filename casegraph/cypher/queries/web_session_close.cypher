// Signed out: the session is gone for every process (each forgets its cached copy within seconds).
MATCH (s:WebSession {id_hash: $id_hash})
DELETE s
