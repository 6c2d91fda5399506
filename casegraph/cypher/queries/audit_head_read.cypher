// The chain's head as it is now, without its lock: a writer whose one-statement append found the
// head moved chains its batch after this one and tries again (the append compares it again).
MATCH (h:AuditHead {id: 'audit'})
RETURN h.seq AS seq, h.hash AS hash
