-- Catalogue (issue 12): versioned catalogue items from the catalogue folder, and grants.

CREATE TABLE "catalogue_load" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "loaded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalogue_load_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "catalogue_item" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "file" TEXT NOT NULL,
    "pointer" TEXT NOT NULL,
    "load_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalogue_item_pkey" PRIMARY KEY ("kind", "key", "version")
);

CREATE INDEX "catalogue_item_load_id_idx" ON "catalogue_item"("load_id");

ALTER TABLE "catalogue_item" ADD CONSTRAINT "catalogue_item_load_id_fkey" FOREIGN KEY ("load_id") REFERENCES "catalogue_load"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "department_grant" (
    "id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "resource_kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "granted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "department_grant_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "department_grant_department_id_matter_resource_kind_resource_idx" ON "department_grant"("department_id", "matter", "resource_kind", "resource");

-- At most one live grant per department, matter, resource and source (Prisma cannot
-- express a partial unique index; the services rely on it to stay idempotent).
CREATE UNIQUE INDEX "department_grant_live_key" ON "department_grant"("department_id", "matter", "resource_kind", "resource", "source") WHERE "revoked_at" IS NULL;
