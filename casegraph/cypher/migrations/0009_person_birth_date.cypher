// The linker looks for people of another written name born on the same day (name variants).
CREATE INDEX person_birth_date IF NOT EXISTS FOR (n:Person) ON (n.birth_date);
