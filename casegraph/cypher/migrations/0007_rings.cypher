// Ring listings read the latest run's rings by score; reviews look rings up by id (constraint 0001).
CREATE INDEX ring_run IF NOT EXISTS FOR (n:Ring) ON (n.run, n.score);
CREATE INDEX detection_run_finished IF NOT EXISTS FOR (n:DetectionRun) ON (n.finished_at);
