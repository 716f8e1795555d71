-- CreateTable
CREATE TABLE "BulkAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "BulkAction_clusterId_startedAt_idx" ON "BulkAction"("clusterId", "startedAt");
