// Which of these audit record ids are in the chain already (a journal shipped again after a crash
// between its commit and its deletion skips them); an index seek each (constraint audit_event_id).
UNWIND $ids AS id
MATCH (e:AuditEvent {id: id})
RETURN e.id AS id
