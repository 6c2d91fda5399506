// Users, access requests, grants and the audit log (issue 6).
CREATE CONSTRAINT user_name IF NOT EXISTS FOR (u:User) REQUIRE u.name IS UNIQUE;
CREATE CONSTRAINT user_key_hash IF NOT EXISTS FOR (u:User) REQUIRE u.key_hash IS UNIQUE;
CREATE CONSTRAINT access_request_id IF NOT EXISTS FOR (r:AccessRequest) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT access_grant_id IF NOT EXISTS FOR (g:AccessGrant) REQUIRE g.id IS UNIQUE;
CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.seq IS UNIQUE;
CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.id IS UNIQUE;
CREATE INDEX access_grant_agency IF NOT EXISTS FOR (g:AccessGrant) ON (g.agency);
CREATE INDEX audit_event_at IF NOT EXISTS FOR (e:AuditEvent) ON (e.at);
CREATE INDEX audit_event_agency IF NOT EXISTS FOR (e:AuditEvent) ON (e.agency);
CREATE INDEX access_request_agencies IF NOT EXISTS FOR (r:AccessRequest) ON (r.requester_agency, r.holder_agency);
