// Entity resolution: redirects of merged keys, investigator decisions, the linker's work queue.
CREATE CONSTRAINT key_alias_key IF NOT EXISTS FOR (n:KeyAlias) REQUIRE n.key IS UNIQUE;
CREATE INDEX key_alias_target IF NOT EXISTS FOR (n:KeyAlias) ON (n.target);
CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE;
CREATE INDEX person_pending IF NOT EXISTS FOR (n:Person) ON (n.pending);
CREATE INDEX organization_pending IF NOT EXISTS FOR (n:Organization) ON (n.pending);
CREATE INDEX transferred_fid IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() ON (r.fid);
