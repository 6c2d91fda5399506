// A credit booked days after its debit joins the debit's transfer: the debit keeps its time, serial and
// fid (when the money left), the credit's sources are added, and the credit's relationship goes.
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH ()-[d:TRANSFERRED]->() WHERE elementId(d) = pair.debit
MATCH ()-[c:TRANSFERRED]->() WHERE elementId(c) = pair.credit
SET d.sources = d.sources + [s IN c.sources WHERE NOT s IN d.sources], d.credit_seen = true
DELETE c
