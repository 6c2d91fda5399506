// The one-statement append: the events continue the chain only when its head is still the one the
// writing process last wrote ($prev_seq, $prev_hash). The head is compared once before its write
// lock is taken (a stale head, e.g. another API process appended, then writes nothing at all) and
// again after (the SET takes the lock, so nothing can move the head between that comparison and
// the commit). A stale head returns no row; the writer reads the head (audit_head_read) and tries
// again after it, and takes the head_lock-and-read path only when that keeps failing.
// The unique constraint on AuditEvent.seq backs both up.
MATCH (h:AuditHead {id: 'audit'})
WHERE h.seq = $prev_seq AND h.hash = $prev_hash
SET h.locked_at = datetime()
WITH h
WHERE h.seq = $prev_seq AND h.hash = $prev_hash
UNWIND $events AS e
CREATE (a:AuditEvent)
SET a = e
WITH h, count(a) AS written
SET h.seq = $seq, h.hash = $hash
RETURN written
