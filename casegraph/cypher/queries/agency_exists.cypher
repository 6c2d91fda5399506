MATCH (a:Agency {id: $id}) RETURN a.id AS id
