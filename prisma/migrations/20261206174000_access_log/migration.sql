-- The access log: one row per release of someone's data to someone else, hash-chained
-- (entry_hash = SHA-256 of the canonical JSON of the entry's fields and previous_hash)
-- and append-only. Its head is anchored on the ledger as accesslog.head evidence.
-- CreateTable
CREATE TABLE "access_log_entry" (
    "sequence" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_department_id" TEXT,
    "actor_token_id" TEXT,
    "application_id" TEXT,
    "resource" TEXT NOT NULL,
    "use_cause" TEXT NOT NULL,
    "request_sha256" TEXT NOT NULL,
    "response_sha256" TEXT NOT NULL,
    "previous_hash" TEXT NOT NULL,
    "entry_hash" TEXT NOT NULL,

    CONSTRAINT "access_log_entry_pkey" PRIMARY KEY ("sequence"),
    CONSTRAINT "access_log_entry_sequence_check" CHECK ("sequence" >= 1),
    CONSTRAINT "access_log_entry_hashes_check" CHECK (
      "previous_hash" ~ '^[0-9a-f]{64}$' AND "entry_hash" ~ '^[0-9a-f]{64}$'
      AND "request_sha256" ~ '^[0-9a-f]{64}$' AND "response_sha256" ~ '^[0-9a-f]{64}$')
);

-- CreateIndex
CREATE UNIQUE INDEX "access_log_entry_entry_hash_key" ON "access_log_entry"("entry_hash");

-- CreateIndex
CREATE INDEX "access_log_entry_subject_hash_sequence_idx" ON "access_log_entry"("subject_hash", "sequence");

-- Append-only, twice over: no privilege to change or remove rows (the app role owns the
-- table, and an owner's privileges can be revoked from it too), and a trigger that refuses
-- whoever connects, should a privilege be granted back.
REVOKE UPDATE, DELETE, TRUNCATE ON "access_log_entry" FROM PUBLIC, CURRENT_USER;

CREATE FUNCTION "access_log_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log_entry is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "access_log_entry_append_only" BEFORE UPDATE OR DELETE ON "access_log_entry"
  FOR EACH ROW EXECUTE FUNCTION "access_log_entry_append_only"();
CREATE TRIGGER "access_log_entry_no_truncate" BEFORE TRUNCATE ON "access_log_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "access_log_entry_append_only"();
