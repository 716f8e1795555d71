-- CreateTable
CREATE TABLE "Evacuation" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "state" TEXT NOT NULL,
    "resources" TEXT NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "returnedAt" TIMESTAMP(3),

    CONSTRAINT "Evacuation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evacuation_clusterId_node_startedAt_idx" ON "Evacuation"("clusterId", "node", "startedAt");
