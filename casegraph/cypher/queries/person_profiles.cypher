// What the linker compares: identity attributes, the identifiers a person is tied to, the cases of
// the documents that mention them (with the cases those cite or are cited by: one matter), and the
// institutions an official acted for.
UNWIND $keys AS key
MATCH (p:Person {key: key})
OPTIONAL MATCH (p)-[:USES|HOLDS|LOCATED_AT]->(x)
WITH p, collect(DISTINCT x.key) AS identifiers
// Accounts a bank statement says this person holds (the holder and his 证件号码, of record).
OPTIONAL MATCH (p)-[:HOLDS {of_record: true}]->(held:Account)
WITH p, identifiers, collect(DISTINCT held.key) AS of_record
// Organisations he is the legal representative of (法定代表人: one registered person per company).
OPTIONAL MATCH (p)-[:LEGAL_REP_OF]->(firm:Organization)
WITH p, identifiers, of_record, collect(DISTINCT firm.key) AS represents
// An official's institution is the organisation heading the documents he signed (older ingests:
// the agency of their case numbers).
OPTIONAL MATCH (p)-[acts:ACTS_FOR]->(ag:Agency)
WITH p, identifiers, of_record, represents, collect(DISTINCT coalesce(acts.issuer, ag.id)) AS institutions,
     collect(DISTINCT ag.region) AS institution_regions
OPTIONAL MATCH (p)-[:MENTIONED_IN]->(:Document)-[:OF_CASE]->(c:Case)
OPTIONAL MATCH (c)-[:CITES*0..3]-(linked:Case)
WITH p, identifiers, of_record, represents, institutions, institution_regions, collect(DISTINCT c.key) AS cases,
     collect(DISTINCT linked.key) AS matter
// The matters he is a victim of and those he is accused in: the victim of a case is not its accused,
// so a 被害人陈婷 and a 被告人陈婷 of one matter are two people.
OPTIONAL MATCH (p)-[vr:ROLE_IN]->(vc:Case) WHERE vr.role = 'victim'
OPTIONAL MATCH (vc)-[:CITES*0..3]-(vm:Case)
WITH p, identifiers, of_record, represents, institutions, institution_regions, cases, matter,
     collect(DISTINCT vm.key) AS victim_of
OPTIONAL MATCH (p)-[ar:ROLE_IN]->(ac:Case) WHERE ar.role IN $accused_roles
OPTIONAL MATCH (ac)-[:CITES*0..3]-(am:Case)
WITH p, identifiers, of_record, represents, institutions, institution_regions, cases, matter, victim_of,
     collect(DISTINCT am.key) AS accused_of
OPTIONAL MATCH (p)-[s:POSSIBLY_SAME_AS {status: 'rejected'}]-(other:Person)
RETURN p.key AS key, p.name AS name, p.ric AS ric, p.birth_date AS birth_date, p.birth_year AS birth_year,
       p.gender AS gender, coalesce(p.anonymised, false) AS anonymised, identifiers, cases, matter,
       institutions, institution_regions, of_record, represents, victim_of, accused_of,
       collect(DISTINCT other.key) AS rejected
