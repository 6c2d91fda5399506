// People of another written name that share evidence with each given person: an account, phone or
// address both are tied to (not a hub: a bank branch's address ties hundreds), or the birth date.
// The linker compares their names for variants (pinyin, homophones) and anonymised forms.
UNWIND $keys AS key
MATCH (p:Person {key: key})
CALL (p) {
  MATCH (p)-[:USES|HOLDS|LOCATED_AT]->(x)<-[:USES|HOLDS|LOCATED_AT]-(q:Person)
  WHERE q <> p AND q.name <> p.name AND COUNT { (x)<-[:USES|HOLDS|LOCATED_AT]-(:Person) } <= $max_degree
  RETURN q
  UNION
  MATCH (q:Person {birth_date: p.birth_date})
  WHERE q <> p AND q.name <> p.name
  RETURN q
}
RETURN p.key AS key, collect(DISTINCT q.key) AS others
