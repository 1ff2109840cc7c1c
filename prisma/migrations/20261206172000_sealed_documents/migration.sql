-- CreateTable
CREATE TABLE "sealed_document" (
    "id" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sealed_document_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sealed_document_expires_at_idx" ON "sealed_document"("expires_at");

-- CreateIndex
CREATE INDEX "sealed_document_created_at_idx" ON "sealed_document"("created_at");
