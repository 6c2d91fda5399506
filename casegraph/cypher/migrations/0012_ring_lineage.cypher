// Rings followed from run to run (issue 19): a ring's lineage is the id of the first ring of its line,
// looked up when a watch on a ring is matched to the rings that continue it.
CREATE INDEX ring_lineage IF NOT EXISTS FOR (r:Ring) ON (r.lineage);
