// One detection run; params and counts are JSON strings (Neo4j properties hold no maps).
CREATE (run:DetectionRun {id: $id, params: $params, counts: $counts, agency: $agency, threshold: $threshold,
                          started_at: datetime($started_at), finished_at: datetime($finished_at)})
RETURN run.id AS id
