-- CreateTable
CREATE TABLE "Evacuation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "state" TEXT NOT NULL,
    "resources" TEXT NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "returnedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Evacuation_clusterId_node_startedAt_idx" ON "Evacuation"("clusterId", "node", "startedAt");
