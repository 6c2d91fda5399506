// One joint handling record, whoever is in it (the caller's right to join is checked on its ring).
MATCH (j:JointHandling {id: $id})
RETURN j.ring AS ring, j.agencies AS agencies
