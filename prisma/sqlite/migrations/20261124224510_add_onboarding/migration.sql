-- CreateTable
CREATE TABLE "OnboardingJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "resourceName" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "currentStep" TEXT,
    "document" TEXT NOT NULL,
    "error" TEXT,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "NodeTestResult" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "vm" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "jobId" TEXT,
    "outcome" TEXT NOT NULL,
    "startOk" BOOLEAN NOT NULL,
    "startMs" INTEGER,
    "stopOk" BOOLEAN NOT NULL,
    "stopMs" INTEGER,
    "stopMethod" TEXT,
    "error" TEXT,
    "phases" TEXT NOT NULL,
    "commands" TEXT NOT NULL,
    "output" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "testedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "OnboardingJob_clusterId_vm_createdAt_idx" ON "OnboardingJob"("clusterId", "vm", "createdAt");

-- CreateIndex
CREATE INDEX "OnboardingJob_state_idx" ON "OnboardingJob"("state");

-- CreateIndex
CREATE INDEX "NodeTestResult_clusterId_vm_testedAt_idx" ON "NodeTestResult"("clusterId", "vm", "testedAt");

-- CreateIndex
CREATE INDEX "NodeTestResult_clusterId_testedAt_idx" ON "NodeTestResult"("clusterId", "testedAt");
