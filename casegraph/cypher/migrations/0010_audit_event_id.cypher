// Audit records carry a unique id from their creation, so a spool journal shipped again after a
// crash between the commit and the journal's deletion writes no record twice (issue 6). Records
// older than this migration have no id; the constraint does not apply to them.
CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE;
