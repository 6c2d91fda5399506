// Watches and alerts (issue 19). A watch's `target` is what the writer looks up once per batch
// (an entity key); `scope` names a case or an agency whose parties are watched as they are ingested.
CREATE CONSTRAINT watch_id IF NOT EXISTS FOR (w:Watch) REQUIRE w.id IS UNIQUE;
CREATE INDEX watch_target IF NOT EXISTS FOR (w:Watch) ON (w.target);
CREATE INDEX watch_scope IF NOT EXISTS FOR (w:Watch) ON (w.scope);
CREATE INDEX watch_agency IF NOT EXISTS FOR (w:Watch) ON (w.agency);
// An alert's id is document + entity + watch: the same fact written again raises no second alert.
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (a:Alert) REQUIRE a.id IS UNIQUE;
CREATE INDEX alert_agency_at IF NOT EXISTS FOR (a:Alert) ON (a.agency, a.at);
CREATE INDEX alert_at IF NOT EXISTS FOR (a:Alert) ON (a.at);
