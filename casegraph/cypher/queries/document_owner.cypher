MATCH (d:Document {key: $key}) RETURN d.agency AS agency
