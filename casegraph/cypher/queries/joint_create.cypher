// A joint handling (联合处置) record on a ring, opened by one agency; later runs' rings continue it
// through the ring's lineage.
MATCH (r:Ring {id: $ring})
CREATE (j:JointHandling {id: $id, ring: r.id, lineage: coalesce(r.lineage, r.id), agencies: [$agency],
                         opened_by: $agency, opened_at: datetime(), log: [$entry]})
RETURN j {.*, opened_at: toString(j.opened_at)} AS joint
