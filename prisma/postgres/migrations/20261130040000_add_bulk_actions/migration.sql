-- CreateTable
CREATE TABLE "BulkAction" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BulkAction_clusterId_startedAt_idx" ON "BulkAction"("clusterId", "startedAt");
