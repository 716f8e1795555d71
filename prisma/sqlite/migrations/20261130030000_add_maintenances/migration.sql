-- CreateTable
CREATE TABLE "Maintenance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "stopRequestedBy" TEXT
);

-- CreateIndex
CREATE INDEX "Maintenance_clusterId_startedAt_idx" ON "Maintenance"("clusterId", "startedAt");
