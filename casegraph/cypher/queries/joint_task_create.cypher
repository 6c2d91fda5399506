// A task on a joint handling record the caller's agency is in, owned by an active user of an agency in
// it. No row: no such record for this agency; owner_ok false: the owner is not such a user (nothing made).
MATCH (j:JointHandling {id: $joint})
WHERE $agency IN j.agencies
OPTIONAL MATCH (u:User {name: $owner})
WHERE u.agency IN j.agencies AND u.revoked_at IS NULL
FOREACH (_ IN CASE WHEN u IS NULL THEN [] ELSE [1] END |
  CREATE (j)-[:HAS_TASK]->(:JointTask {id: $id, joint: j.id, ring: j.ring, lineage: j.lineage, title: $title,
                                       owner: u.name, owner_agency: u.agency, due: date($due), state: 'open',
                                       created_by: $user, created_agency: $agency, created_at: datetime(),
                                       log: [$entry]}))
WITH j, u
OPTIONAL MATCH (j)-[:HAS_TASK]->(t:JointTask {id: $id})
RETURN u IS NOT NULL AS owner_ok,
       t {.*, due: toString(t.due), created_at: toString(t.created_at), overdue: t.due < date($today)} AS task
