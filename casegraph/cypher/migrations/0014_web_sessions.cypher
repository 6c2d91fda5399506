// Workbench sessions (issue 17) live in the database, so that every API process (serve --workers N,
// a restarted server) knows them. Only a hash of the session id is stored (the cookie holds the id).
CREATE CONSTRAINT web_session_id IF NOT EXISTS FOR (s:WebSession) REQUIRE s.id_hash IS UNIQUE;
CREATE INDEX web_session_last_seen IF NOT EXISTS FOR (s:WebSession) ON (s.last_seen);
