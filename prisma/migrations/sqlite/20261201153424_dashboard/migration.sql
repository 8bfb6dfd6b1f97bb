-- CreateTable
CREATE TABLE "ProgrammeStaff" (
    "personId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("personId", "organisationId")
);

-- CreateTable
CREATE TABLE "DashboardLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "DashboardSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "SayAnswer" (
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("roundId", "personId")
);

-- CreateTable
CREATE TABLE "LundyAssessment" (
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "space" INTEGER NOT NULL,
    "voice" INTEGER NOT NULL,
    "audience" INTEGER NOT NULL,
    "influence" INTEGER NOT NULL,
    "note" TEXT,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("roundId", "personId")
);

-- CreateTable
CREATE TABLE "DiscussionDaily" (
    "groupId" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("groupId", "day")
);

-- CreateTable
CREATE TABLE "RoundFigures" (
    "roundId" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "resultSeq" INTEGER NOT NULL,
    "ballots" INTEGER NOT NULL,
    "eligible" INTEGER NOT NULL,
    "ideasYouth" INTEGER NOT NULL,
    "ideasStaff" INTEGER NOT NULL,
    "firstIdeaAt" DATETIME,
    "decidedAt" DATETIME NOT NULL,
    "funded" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "SayTally" (
    "roundId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    PRIMARY KEY ("roundId", "score")
);

-- CreateTable
CREATE TABLE "DiscussionMonthly" (
    "groupId" TEXT NOT NULL,
    "month" DATETIME NOT NULL,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("groupId", "month")
);

-- CreateTable
CREATE TABLE "DiscussionTotal" (
    "groupId" TEXT NOT NULL PRIMARY KEY,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,
    "nudges" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE UNIQUE INDEX "DashboardLink_tokenHash_key" ON "DashboardLink"("tokenHash");

-- CreateIndex
CREATE INDEX "DashboardLink_personId_idx" ON "DashboardLink"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "DashboardSession_tokenHash_key" ON "DashboardSession"("tokenHash");

-- CreateIndex
CREATE INDEX "DashboardSession_personId_idx" ON "DashboardSession"("personId");

-- CreateIndex
CREATE INDEX "SayAnswer_groupId_idx" ON "SayAnswer"("groupId");

-- CreateIndex
CREATE INDEX "LundyAssessment_groupId_idx" ON "LundyAssessment"("groupId");

-- CreateIndex
CREATE INDEX "RoundFigures_groupId_idx" ON "RoundFigures"("groupId");
