-- CreateTable
CREATE TABLE "VmLock" (
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "holderId" TEXT,
    "holderName" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "operationId" TEXT,
    "instanceId" TEXT NOT NULL,
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "renewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("clusterId", "vm")
);

-- CreateTable
CREATE TABLE "MigrationRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "fromNode" TEXT,
    "toNode" TEXT NOT NULL,
    "live" BOOLEAN NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "result" TEXT NOT NULL,
    "error" TEXT
);

-- CreateIndex
CREATE INDEX "MigrationRecord_clusterId_startedAt_idx" ON "MigrationRecord"("clusterId", "startedAt");

-- CreateIndex
CREATE INDEX "MigrationRecord_clusterId_vm_startedAt_idx" ON "MigrationRecord"("clusterId", "vm", "startedAt");
