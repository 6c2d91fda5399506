MATCH (d:Document {key: $key})
RETURN d {.key, .agency, .sharing, .shared_with, .filename} AS document
