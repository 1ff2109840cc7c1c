-- A licence issued as OFD (GB/T 33190) keeps its sealed OFD beside its PDF.
ALTER TABLE "licence_document" ADD COLUMN "ofd" BYTEA;
ALTER TABLE "licence_document" ADD COLUMN "ofd_sha256" TEXT;
ALTER TABLE "licence_document" ADD COLUMN "ofd_size" INTEGER;
CREATE UNIQUE INDEX "licence_document_ofd_sha256_key" ON "licence_document"("ofd_sha256");
