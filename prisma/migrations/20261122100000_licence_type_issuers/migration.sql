-- AlterTable
ALTER TABLE "licence_type" ADD COLUMN "holder" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "licence_type" ALTER COLUMN "holder" DROP DEFAULT;

-- CreateTable
CREATE TABLE "licence_type_issuer" (
    "type_code" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,

    CONSTRAINT "licence_type_issuer_pkey" PRIMARY KEY ("type_code","department_id")
);

-- AddForeignKey
ALTER TABLE "licence_type_issuer" ADD CONSTRAINT "licence_type_issuer_type_code_fkey" FOREIGN KEY ("type_code") REFERENCES "licence_type"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence_type_issuer" ADD CONSTRAINT "licence_type_issuer_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
