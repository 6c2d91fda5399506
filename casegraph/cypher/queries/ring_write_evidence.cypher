// The typology edges inside each ring, hung on the edge's first member (`to` names the other end).
// Per-caller figures (typologies, money moved, score) are summed over those with a visible source.
UNWIND $rows AS row
MATCH (r:Ring {id: row.ring})
MATCH (m:{label} {key: row.key})
CREATE (r)-[:EVIDENCE {to: row.to, typologies: row.typologies, amount: row.amount, sources: row.sources}]->(m)
