-- Serials consumed by an issuance that did not store a licence (作废), with the reason.
-- CreateTable
CREATE TABLE "licence_serial_void" (
    "type_code" TEXT NOT NULL,
    "issuer_code" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "identifier" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "voided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "licence_serial_void_pkey" PRIMARY KEY ("type_code","issuer_code","serial")
);

-- CreateIndex
CREATE UNIQUE INDEX "licence_serial_void_identifier_key" ON "licence_serial_void"("identifier");

-- The status page's unguessable token (16 random bytes, base64url). Existing licences get
-- one from gen_random_uuid() (122 random bits); new ones get 128 bits from node:crypto.
-- AlterTable
ALTER TABLE "licence" ADD COLUMN "page_token" TEXT;
UPDATE "licence" SET "page_token" = translate(rtrim(encode(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '='), '+/', '-_');
ALTER TABLE "licence" ALTER COLUMN "page_token" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "licence_page_token_key" ON "licence"("page_token");

-- Who changed state through the CLI (and later the gateway): append-only.
-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targets" JSONB NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_entry_at_idx" ON "audit_entry"("at");

-- Append-only: rows are never changed or removed, whoever connects.
CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "audit_entry_append_only" BEFORE UPDATE OR DELETE ON "audit_entry"
  FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only"();
