-- CreateTable
CREATE TABLE "ProgrammeStaff" (
    "personId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProgrammeStaff_pkey" PRIMARY KEY ("personId","organisationId")
);

-- CreateTable
CREATE TABLE "DashboardLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "DashboardLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardSession" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "DashboardSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SayAnswer" (
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SayAnswer_pkey" PRIMARY KEY ("roundId","personId")
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
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LundyAssessment_pkey" PRIMARY KEY ("roundId","personId")
);

-- CreateTable
CREATE TABLE "DiscussionDaily" (
    "groupId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DiscussionDaily_pkey" PRIMARY KEY ("groupId","day")
);

-- CreateTable
CREATE TABLE "RoundFigures" (
    "roundId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "resultSeq" INTEGER NOT NULL,
    "ballots" INTEGER NOT NULL,
    "eligible" INTEGER NOT NULL,
    "ideasYouth" INTEGER NOT NULL,
    "ideasStaff" INTEGER NOT NULL,
    "firstIdeaAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "funded" TEXT NOT NULL,

    CONSTRAINT "RoundFigures_pkey" PRIMARY KEY ("roundId")
);

-- CreateTable
CREATE TABLE "SayTally" (
    "roundId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "SayTally_pkey" PRIMARY KEY ("roundId","score")
);

-- CreateTable
CREATE TABLE "DiscussionMonthly" (
    "groupId" TEXT NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DiscussionMonthly_pkey" PRIMARY KEY ("groupId","month")
);

-- CreateTable
CREATE TABLE "DiscussionTotal" (
    "groupId" TEXT NOT NULL,
    "youth" INTEGER NOT NULL DEFAULT 0,
    "staff" INTEGER NOT NULL DEFAULT 0,
    "nudges" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DiscussionTotal_pkey" PRIMARY KEY ("groupId")
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
