// Every name text a document writes for a person or organisation, with the entity's key: the
// candidates of a fuzzy name search. Nothing of it is answered as is: names_visible.cypher then
// reads each candidate through the caller's visibility.
MATCH (n)-[m:MENTIONED_IN]->(:Document)
WHERE (n:Person OR n:Organization) AND m.text IS NOT NULL
RETURN m.text AS text, collect(DISTINCT n.key) AS keys
