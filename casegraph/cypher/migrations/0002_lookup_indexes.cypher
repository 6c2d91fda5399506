// Lookups by identifier value and by document metadata.
CREATE INDEX person_ric IF NOT EXISTS FOR (n:Person) ON (n.ric);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX organization_uscc IF NOT EXISTS FOR (n:Organization) ON (n.uscc);
CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name);
CREATE INDEX account_number IF NOT EXISTS FOR (n:Account) ON (n.number);
CREATE INDEX phone_number IF NOT EXISTS FOR (n:Phone) ON (n.number);
CREATE INDEX case_number IF NOT EXISTS FOR (n:Case) ON (n.number);
CREATE INDEX document_agency IF NOT EXISTS FOR (n:Document) ON (n.agency);
CREATE INDEX document_path IF NOT EXISTS FOR (n:Document) ON (n.agency, n.path);
CREATE INDEX mention_document IF NOT EXISTS FOR (n:Mention) ON (n.document);
