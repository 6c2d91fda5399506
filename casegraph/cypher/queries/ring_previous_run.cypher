// The rings of the latest run of the same scope ($agency, or null for a run over the whole graph),
// with their members, lineage (a ring written before lineages were kept is its own) and grade.
MATCH (run:DetectionRun)
WHERE coalesce(run.agency, '') = coalesce($agency, '')
WITH run ORDER BY run.finished_at DESC LIMIT 1
MATCH (run)-[:FOUND]->(r:Ring)
OPTIONAL MATCH (r)-[:HAS_MEMBER]->(m)
RETURN r.id AS id, coalesce(r.lineage, r.id) AS lineage, coalesce(r.grade, '') AS grade,
       coalesce(r.reported, r.score > run.threshold) AS reported, collect(m.key) AS members
