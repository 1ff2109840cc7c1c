-- CreateTable
CREATE TABLE "use_code" (
    "id" TEXT NOT NULL,
    "code_hmac" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "licence_id" TEXT NOT NULL,
    "holder_code_type" TEXT NOT NULL,
    "holder_code" TEXT NOT NULL,
    "purpose" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "withdrawn_at" TIMESTAMP(3),

    CONSTRAINT "use_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "use_code_presentation" (
    "id" BIGSERIAL NOT NULL,
    "use_code_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recipient" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "copy_valid_until" TIMESTAMP(3),
    "copy" BYTEA,
    "copy_sha256" TEXT,

    CONSTRAINT "use_code_presentation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "use_code_code_hmac_key" ON "use_code"("code_hmac");

-- CreateIndex
CREATE INDEX "use_code_holder_code_type_holder_code_idx" ON "use_code"("holder_code_type", "holder_code");

-- CreateIndex
CREATE INDEX "use_code_presentation_use_code_id_idx" ON "use_code_presentation"("use_code_id");

-- AddForeignKey
ALTER TABLE "use_code" ADD CONSTRAINT "use_code_licence_id_fkey" FOREIGN KEY ("licence_id") REFERENCES "licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "use_code_presentation" ADD CONSTRAINT "use_code_presentation_use_code_id_fkey" FOREIGN KEY ("use_code_id") REFERENCES "use_code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
