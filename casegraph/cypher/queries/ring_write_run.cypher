// One detection run; params and counts are JSON strings (Neo4j properties hold no maps). The
// scoring parameters are also kept as plain properties, so per-caller scores are computed in Cypher.
CREATE (run:DetectionRun {id: $id, params: $params, counts: $counts, agency: $agency, threshold: $threshold,
                          started_at: datetime($started_at), finished_at: datetime($finished_at)})
SET run += $scoring
RETURN run.id AS id
