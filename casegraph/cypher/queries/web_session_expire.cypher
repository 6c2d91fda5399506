// Sessions idle since before $before, removed in bounded batches.
MATCH (s:WebSession)
WHERE s.last_seen < $before
WITH s LIMIT 1000
DELETE s
RETURN count(*) AS removed
