// Name search over people and organisations; the CJK analyzer indexes Chinese as character bigrams.
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Person|Organization) ON EACH [n.name, n.aliases]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
