-- A presenter may ask for an OFD copy of a licence issued as OFD; every copy made before was a PDF.
ALTER TABLE "use_code_presentation" ADD COLUMN "copy_format" TEXT;
UPDATE "use_code_presentation" SET "copy_format" = 'pdf' WHERE "copy" IS NOT NULL;
ALTER TABLE "use_code_presentation" ADD CONSTRAINT "use_code_presentation_copy_format_check" CHECK ("copy_format" IN ('pdf', 'ofd') AND "copy" IS NOT NULL OR "copy_format" IS NULL AND "copy" IS NULL);
