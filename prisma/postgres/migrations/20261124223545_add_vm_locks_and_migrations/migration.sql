-- CreateTable
CREATE TABLE "VmLock" (
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "holderId" TEXT,
    "holderName" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "operationId" TEXT,
    "instanceId" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "renewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VmLock_pkey" PRIMARY KEY ("clusterId","vm")
);

-- CreateTable
CREATE TABLE "MigrationRecord" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "fromNode" TEXT,
    "toNode" TEXT NOT NULL,
    "live" BOOLEAN NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "result" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "MigrationRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MigrationRecord_clusterId_startedAt_idx" ON "MigrationRecord"("clusterId", "startedAt");

-- CreateIndex
CREATE INDEX "MigrationRecord_clusterId_vm_startedAt_idx" ON "MigrationRecord"("clusterId", "vm", "startedAt");
