// A card number's key leads to the account number's node (account-opening data: 卡号 behind 账号), as a
// merge's redirect does: every later write naming the card lands on the account. A card node that
// already existed was merged into the account's first (merge_node_into); this covers the cards no node
// had yet, and keeps an alias an earlier merge or an investigator wrote.
UNWIND $rows AS row
MERGE (alias:KeyAlias {key: row.card})
ON CREATE SET alias.target = row.account, alias.label = 'Account'
