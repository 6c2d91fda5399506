// The one-statement append: the events continue the chain only when its head is still the one the
// writing process last wrote ($prev_seq, $prev_hash). The head is compared once before its write
// lock is taken (a stale head, e.g. another API process appended, then writes nothing at all) and
// again after (the SET takes the lock, so nothing can move the head between that comparison and
// the commit). A stale head writes nothing and returns the head as it is now (written is null),
// so the writer can chain its batch after that head and try again in one more statement instead
// of locking and reading it in a transaction of its own. The unique constraint on AuditEvent.seq
// backs both up.
MATCH (h:AuditHead {id: 'audit'})
OPTIONAL CALL (h) {
  WITH h
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
}
RETURN written, h.seq AS seq, h.hash AS hash
