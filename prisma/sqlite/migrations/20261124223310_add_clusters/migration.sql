-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ClusterNode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "hostKeyType" TEXT NOT NULL,
    "hostKeyFingerprint" TEXT NOT NULL,
    "presentedKeyType" TEXT,
    "presentedFingerprint" TEXT,
    "sealedPrivateKey" TEXT,
    "sealedPassphrase" TEXT,
    "sealedPassword" TEXT,
    "agentVersion" TEXT,
    "versions" TEXT,
    "lastSeenAt" DATETIME,
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ClusterNode_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterNode_clusterId_name_key" ON "ClusterNode"("clusterId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterNode_host_port_key" ON "ClusterNode"("host", "port");
