-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "ageBand" TEXT,
ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "lastSeenAt" TIMESTAMP(3),
ADD COLUMN     "pseudonymisedAt" TIMESTAMP(3),
ADD COLUMN     "tokensValidFrom" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SafeguardingSettings" (
    "organisationId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "alertTo" TEXT NOT NULL DEFAULT 'staff',
    "modelClassifier" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SafeguardingSettings_pkey" PRIMARY KEY ("organisationId")
);

-- CreateTable
CREATE TABLE "SafeguardingAlert" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "personId" TEXT,
    "source" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "categories" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "alerted" INTEGER NOT NULL DEFAULT 0,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SafeguardingAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessAudit" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "groupId" TEXT,
    "readerId" TEXT NOT NULL,
    "subjectId" TEXT,
    "what" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataExportLink" (
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataExportLink_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "SafeguardingAlert_groupId_at_idx" ON "SafeguardingAlert"("groupId", "at");

-- CreateIndex
CREATE INDEX "AccessAudit_organisationId_at_idx" ON "AccessAudit"("organisationId", "at");

-- CreateIndex
CREATE INDEX "DataExportLink_personId_idx" ON "DataExportLink"("personId");
