-- CreateTable
CREATE TABLE "department" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uscc" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "key_record" (
    "id" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "public_key" BYTEA NOT NULL,
    "sealed" BYTEA NOT NULL,
    "kek_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "key_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "issuer_id" TEXT,
    "subject" TEXT NOT NULL,
    "department_id" TEXT,
    "key_id" TEXT,
    "der" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "not_before" TIMESTAMP(3) NOT NULL,
    "not_after" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "revocation_reason" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crl" (
    "id" TEXT NOT NULL,
    "issuer_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "this_update" TIMESTAMP(3) NOT NULL,
    "next_update" TIMESTAMP(3) NOT NULL,
    "der" BYTEA NOT NULL,

    CONSTRAINT "crl_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seal" (
    "id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "state_reason" TEXT,
    "state_changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3) NOT NULL,
    "picture" BYTEA NOT NULL,
    "width_mm" INTEGER NOT NULL,
    "height_mm" INTEGER NOT NULL,
    "ses_seal" BYTEA NOT NULL,
    "maker_cert_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seal_certificate" (
    "seal_id" TEXT NOT NULL,
    "certificate_id" TEXT NOT NULL,

    CONSTRAINT "seal_certificate_pkey" PRIMARY KEY ("seal_id","certificate_id")
);

-- CreateTable
CREATE TABLE "licence_type" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "holder_kind" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "layout" JSONB NOT NULL,
    "validity" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "licence_type_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "licence_serial" (
    "type_code" TEXT NOT NULL,
    "issuer_code" TEXT NOT NULL,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "licence_serial_pkey" PRIMARY KEY ("type_code","issuer_code")
);

-- CreateTable
CREATE TABLE "licence" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "type_code" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "holder_name" TEXT NOT NULL,
    "holder_code" TEXT NOT NULL,
    "holder_code_type" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_until" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'valid',
    "status_reason" TEXT,
    "status_changed_at" TIMESTAMP(3),
    "face_data" JSONB NOT NULL,
    "supersedes_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "licence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "licence_document" (
    "licence_id" TEXT NOT NULL,
    "pdf" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,

    CONSTRAINT "licence_document_pkey" PRIMARY KEY ("licence_id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" TEXT NOT NULL,
    "evidence_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "anchored_at" TIMESTAMP(3),
    "transaction_id" TEXT,
    "block_number" BIGINT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "system_setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "system_setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "department_uscc_key" ON "department"("uscc");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_sha256_key" ON "certificate"("sha256");

-- CreateIndex
CREATE INDEX "certificate_department_id_role_idx" ON "certificate"("department_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_issuer_id_serial_key" ON "certificate"("issuer_id", "serial");

-- CreateIndex
CREATE UNIQUE INDEX "crl_issuer_id_number_key" ON "crl"("issuer_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "licence_identifier_key" ON "licence"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "licence_supersedes_id_key" ON "licence"("supersedes_id");

-- CreateIndex
CREATE INDEX "licence_holder_code_type_holder_code_idx" ON "licence"("holder_code_type", "holder_code");

-- CreateIndex
CREATE INDEX "licence_department_id_type_code_idx" ON "licence"("department_id", "type_code");

-- CreateIndex
CREATE UNIQUE INDEX "licence_document_sha256_key" ON "licence_document"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_evidence_id_key" ON "outbox"("evidence_id");

-- CreateIndex
CREATE INDEX "outbox_anchored_at_next_attempt_at_idx" ON "outbox"("anchored_at", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_issuer_id_fkey" FOREIGN KEY ("issuer_id") REFERENCES "certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "key_record"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crl" ADD CONSTRAINT "crl_issuer_id_fkey" FOREIGN KEY ("issuer_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seal" ADD CONSTRAINT "seal_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seal_certificate" ADD CONSTRAINT "seal_certificate_seal_id_fkey" FOREIGN KEY ("seal_id") REFERENCES "seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seal_certificate" ADD CONSTRAINT "seal_certificate_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence" ADD CONSTRAINT "licence_type_code_fkey" FOREIGN KEY ("type_code") REFERENCES "licence_type"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence" ADD CONSTRAINT "licence_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence" ADD CONSTRAINT "licence_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "licence"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence_document" ADD CONSTRAINT "licence_document_licence_id_fkey" FOREIGN KEY ("licence_id") REFERENCES "licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
