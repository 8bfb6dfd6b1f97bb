-- AlterTable
ALTER TABLE "Person" ADD COLUMN "ageBand" TEXT;
ALTER TABLE "Person" ADD COLUMN "erasedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "lastSeenAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "pseudonymisedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "tokensValidFrom" DATETIME;

-- CreateTable
CREATE TABLE "SafeguardingSettings" (
    "organisationId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "alertTo" TEXT NOT NULL DEFAULT 'staff',
    "modelClassifier" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SafeguardingAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "personId" TEXT,
    "source" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "categories" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "alerted" INTEGER NOT NULL DEFAULT 0,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AccessAudit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organisationId" TEXT NOT NULL,
    "groupId" TEXT,
    "readerId" TEXT NOT NULL,
    "subjectId" TEXT,
    "what" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DataExportLink" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SafeguardingAlert_groupId_at_idx" ON "SafeguardingAlert"("groupId", "at");

-- CreateIndex
CREATE INDEX "AccessAudit_organisationId_at_idx" ON "AccessAudit"("organisationId", "at");

-- CreateIndex
CREATE INDEX "DataExportLink_personId_idx" ON "DataExportLink"("personId");
