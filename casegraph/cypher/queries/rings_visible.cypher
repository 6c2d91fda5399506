// Rings with every figure computed over what the caller's agency may see: the members seen through a
// visible source of their HAS_MEMBER (a ring with none is not listed); their regions; the agencies
// and cases of the visible documents that mention them; the typologies and the money moved of the
// ring's typology edges (EVIDENCE) that have a visible source; and the score from those, with the
// run's scoring parameters, part by part as casegraph.detect.scoring computes it.
// Runs written before the scoring parameters and EVIDENCE were stored show no typology and score 0.
// One ring when $id is given, else the rings of one run (the latest when $run is null), best first.
CALL {
  MATCH (run:DetectionRun)
  WHERE $id IS NULL AND ($run IS NULL OR run.id = $run)
  RETURN run ORDER BY run.finished_at DESC LIMIT 1
  UNION
  MATCH (run:DetectionRun)-[:FOUND]->(:Ring {id: $id})
  RETURN run
}
MATCH (run)-[:FOUND]->(r:Ring)
WHERE $id IS NULL OR r.id = $id
CALL {
  WITH r
  MATCH (r)-[h:HAS_MEMBER]->(m)
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(h.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  RETURN collect(m) AS members
}
WITH run, r, members WHERE size(members) > 0
CALL {
  WITH members
  UNWIND members AS m
  UNWIND coalesce(m.regions, []) AS region
  WITH DISTINCT region ORDER BY region
  RETURN collect(region) AS regions
}
CALL {
  WITH members
  UNWIND members AS m
  MATCH (d:Document) WHERE d.key IN coalesce(m.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  RETURN collect(DISTINCT d) AS documents
}
CALL {
  WITH documents
  UNWIND documents AS d
  WITH DISTINCT d.agency AS agency ORDER BY agency
  RETURN collect(agency) AS agencies
}
CALL {
  WITH documents
  UNWIND documents AS d
  MATCH (d)-[:OF_CASE]->(c:Case)
  WITH DISTINCT c.key AS case ORDER BY case
  RETURN collect(case) AS cases
}
CALL {
  WITH r
  MATCH (r)-[e:EVIDENCE]->()
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(e.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  RETURN collect(e) AS edges
}
CALL {
  WITH edges
  UNWIND edges AS e
  UNWIND e.typologies AS typology
  WITH DISTINCT typology ORDER BY typology
  RETURN collect(typology) AS typologies
}
WITH run, r, members, regions, agencies, cases, typologies,
     reduce(moved = 0.0, e IN edges | moved + coalesce(e.amount, 0.0)) AS amount,
     [t IN typologies | [t, coalesce([i IN range(0, size(coalesce(run.weight_names, [])) - 1)
                                      WHERE run.weight_names[i] = t | run.weight_values[i]][0], 0.0)]] AS typology_parts
WITH run, r, members, regions, agencies, cases, typologies, amount, typology_parts,
     reduce(total = 0.0, p IN typology_parts | total + p[1]) AS base, size(members) AS member_count
WITH run, r, members, regions, agencies, cases, typologies, amount, member_count,
     typology_parts
     + CASE WHEN size(regions) >= 2 THEN [['cross_region', base * coalesce(run.cross_region_bonus, 0.0)]] ELSE [] END
     + CASE WHEN size(agencies) >= 2 THEN [['multi_agency', base * coalesce(run.multi_agency_bonus, 0.0)]] ELSE [] END
     + CASE WHEN member_count > coalesce(run.size_penalty_from, member_count)
            THEN [['size_penalty', -run.size_penalty * (member_count - run.size_penalty_from)]] ELSE [] END AS raw_parts
WITH run, r, members, regions, agencies, cases, typologies, amount, raw_parts,
     reduce(total = 0.0, p IN raw_parts | total + p[1]) AS subtotal
WITH run, r, members, regions, agencies, cases, typologies, amount,
     [p IN raw_parts
           + CASE WHEN size(typologies) > 0 AND all(t IN typologies WHERE t IN run.structural)
                       AND subtotal > run.structure_only_cap
                  THEN [['no_money_flow_cap', run.structure_only_cap - subtotal]] ELSE [] END
      | [p[0], round(p[1], 4)]] AS parts
WITH run, r, members, regions, agencies, cases, typologies, amount, parts,
     round(reduce(total = 0.0, p IN parts | total + p[1]), 4) AS score
WHERE ($min_score IS NULL OR score >= $min_score) AND ($region IS NULL OR $region IN regions)
  AND ($typology IS NULL OR $typology IN typologies)
RETURN run.id AS run, r.id AS id, score, parts AS score_parts, typologies, regions, agencies, cases,
       round(amount, 2) AS total_amount, size(members) AS visible_members, r.status AS status, r.note AS note,
       r.reviewed_by AS reviewed_by, toString(r.reviewed_at) AS reviewed_at
ORDER BY score DESC, r.rank
SKIP $skip LIMIT $limit
