-- CreateTable
CREATE TABLE "api_token" (
    "id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "secret_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "api_token_department_id_idx" ON "api_token"("department_id");

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
