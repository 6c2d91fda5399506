// The rings of one run, each found by it; `rank` keeps the run's order (best score first).
MATCH (run:DetectionRun {id: $run})
UNWIND $rows AS row
MERGE (r:Ring {id: row.id})
SET r.run = $run, r.rank = row.rank, r.signature = row.signature, r.score = row.score, r.lineage = row.lineage,
    r.previous = row.previous, r.grade = row.grade, r.reported = row.reported,
    r.score_parts = row.score_parts, r.typologies = row.typologies, r.regions = row.regions,
    r.agencies = row.agencies, r.cases = row.cases, r.total_amount = row.total_amount, r.status = 'new',
    r.note = null, r.created_at = run.finished_at
MERGE (run)-[:FOUND]->(r)
