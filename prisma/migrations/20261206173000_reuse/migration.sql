-- Material reuse (issue 12): applications (办件) pinned to catalogue versions, the
-- applicant's authorisations, materials given once and reused, what was asked of the
-- applicant, and every shared access made or refused (for 电子监察).

CREATE TABLE "application" (
    "id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "applicant_code_type" TEXT NOT NULL,
    "applicant_code" TEXT NOT NULL,
    "applicant_name" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_code" TEXT NOT NULL,
    "subject_version" INTEGER NOT NULL,
    "facts" JSONB NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "application_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "application_department_id_opened_at_idx" ON "application"("department_id", "opened_at");
CREATE INDEX "application_applicant_code_type_applicant_code_idx" ON "application"("applicant_code_type", "applicant_code");

CREATE TABLE "application_matter" (
    "application_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "matter" TEXT NOT NULL,
    "matter_version" INTEGER NOT NULL,
    "department_id" TEXT NOT NULL,
    "due_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    "issued" JSONB NOT NULL DEFAULT '[]',
    "outcome" JSONB,

    CONSTRAINT "application_matter_pkey" PRIMARY KEY ("application_id", "matter")
);
CREATE INDEX "application_matter_department_id_matter_idx" ON "application_matter"("department_id", "matter");
ALTER TABLE "application_matter" ADD CONSTRAINT "application_matter_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "application_authorisation" (
    "id" TEXT NOT NULL,
    "application_id" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "granted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "withdrawn_at" TIMESTAMP(3),

    CONSTRAINT "application_authorisation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "application_authorisation_application_id_idx" ON "application_authorisation"("application_id");
ALTER TABLE "application_authorisation" ADD CONSTRAINT "application_authorisation_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "material" (
    "id" TEXT NOT NULL,
    "holder_code_type" TEXT NOT NULL,
    "holder_code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "application_id" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "given_by" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "verification" JSONB,
    "given_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "material_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "material_holder_code_type_holder_code_kind_given_at_idx" ON "material"("holder_code_type", "holder_code", "kind", "given_at");
CREATE INDEX "material_application_id_idx" ON "material"("application_id");

CREATE TABLE "material_request" (
    "application_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "material_request_pkey" PRIMARY KEY ("application_id", "kind")
);

CREATE TABLE "share_access" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "department_id" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "application_id" TEXT,
    "resource" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "code" TEXT,

    CONSTRAINT "share_access_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "share_access_department_id_matter_idx" ON "share_access"("department_id", "matter");
