-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClusterNode" (
    "id" TEXT NOT NULL,
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
    "lastSeenAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterNode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterNode_clusterId_name_key" ON "ClusterNode"("clusterId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterNode_host_port_key" ON "ClusterNode"("host", "port");

-- AddForeignKey
ALTER TABLE "ClusterNode" ADD CONSTRAINT "ClusterNode_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
