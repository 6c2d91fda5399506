// Long-running work (ring detection, large bundles) is tracked as (:Job) nodes, so its status
// survives the API process and a restart can tell which jobs it interrupted.
CREATE CONSTRAINT job_id IF NOT EXISTS FOR (n:Job) REQUIRE n.id IS UNIQUE;
CREATE INDEX job_status IF NOT EXISTS FOR (n:Job) ON (n.status);
