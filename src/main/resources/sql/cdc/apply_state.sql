-- AUTO CDC apply into silver.cdc_state: one row per source row (schema, table, key) holding its
-- latest change. `cdc_latest` is the latest change per row among the changes read now
-- (ChangeTransforms.latestPerKey). A change replaces the stored one only when its sequence is
-- higher: (streamed, lsn, txn_order), snapshot reads before streamed changes. A delete stays as a
-- tombstone (deleted = true), so an older change that arrives later loses against it and cannot
-- bring the row back; a duplicate has the same sequence and changes nothing.
MERGE INTO silver.cdc_state AS t
USING cdc_latest AS s
ON t.source_schema = s.source_schema AND t.source_table = s.source_table AND t.key = s.key
WHEN MATCHED AND (
       s.streamed > t.streamed
    OR (s.streamed = t.streamed AND s.lsn > t.lsn)
    OR (s.streamed = t.streamed AND s.lsn = t.lsn AND s.txn_order > t.txn_order)
  ) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
