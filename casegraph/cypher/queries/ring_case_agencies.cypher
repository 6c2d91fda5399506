// The agencies whose cases the rings $rings touch: the agency of a case document that put a member
// in the ring, with one such member (the one the alert names).
UNWIND $rings AS ring
MATCH (:Ring {id: ring})-[h:HAS_MEMBER]->(m)
UNWIND coalesce(h.sources, []) AS source
MATCH (d:Document {key: source})-[:OF_CASE]->(:Case)
RETURN ring, d.agency AS agency, min(m.key) AS entity
