// Rings followed from run to run (issue 19): a ring's lineage is the id of the first ring of its line,
// looked up when a watch on a ring is matched to the rings that continue it.
CREATE INDEX ring_lineage IF NOT EXISTS FOR (r:Ring) ON (r.lineage);
// Joint handling (联合处置) records, one per working group on a ring.
CREATE CONSTRAINT joint_handling_id IF NOT EXISTS FOR (j:JointHandling) REQUIRE j.id IS UNIQUE;
