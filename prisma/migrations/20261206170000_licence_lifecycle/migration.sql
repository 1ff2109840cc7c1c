-- Licence lifecycle (issue 11, item 3): 变更 (a new version supersedes the old; the
-- columns were there from the start), 延续 (renewal applications and their decisions),
-- 暂扣/恢复 (status 'suspended', kept in the existing status columns).

-- How long the issuer has to decide a renewal before it counts as granted (视为准予延续),
-- in calendar days; null: the service's default (20).
-- AlterTable
ALTER TABLE "licence_type" ADD COLUMN "renewal_decision_days" INTEGER;

-- CreateTable
CREATE TABLE "licence_renewal" (
    "id" TEXT NOT NULL,
    "licence_id" TEXT NOT NULL,
    "applied_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requested_until" TIMESTAMP(3) NOT NULL,
    "previous_until" TIMESTAMP(3) NOT NULL,
    "decide_by" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "decided_at" TIMESTAMP(3),
    "decided_by" TEXT,
    "granted_until" TIMESTAMP(3),
    "reason" TEXT,

    CONSTRAINT "licence_renewal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "licence_renewal_licence_id_applied_at_idx" ON "licence_renewal"("licence_id", "applied_at");

-- At most one undecided application per licence; the sweep finds overdue ones by this index.
CREATE UNIQUE INDEX "licence_renewal_one_pending" ON "licence_renewal"("licence_id") WHERE "state" = 'pending';
CREATE INDEX "licence_renewal_pending_decide_by" ON "licence_renewal"("decide_by") WHERE "state" = 'pending';

-- AddForeignKey
ALTER TABLE "licence_renewal" ADD CONSTRAINT "licence_renewal_licence_id_fkey" FOREIGN KEY ("licence_id") REFERENCES "licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
