-- CreateTable
CREATE TABLE "DiscussionMessage" (
    "id" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "threadId" TEXT,
    "proposalNumber" INTEGER,
    "role" TEXT NOT NULL,
    "authorId" TEXT,
    "chars" INTEGER NOT NULL,
    "text" TEXT,
    "link" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscussionMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupStaffSettings" (
    "groupId" TEXT NOT NULL,
    "nudgeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "nudgeSharePct" INTEGER NOT NULL DEFAULT 30,
    "nudgeWindowHours" INTEGER NOT NULL DEFAULT 24,
    "nudgeMinMessages" INTEGER NOT NULL DEFAULT 10,
    "remindersEnabled" BOOLEAN NOT NULL DEFAULT true,
    "reminderHours" INTEGER NOT NULL DEFAULT 24,
    "namesInSummaries" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupStaffSettings_pkey" PRIMARY KEY ("groupId")
);

-- CreateTable
CREATE TABLE "StaffNudge" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "sharePct" INTEGER NOT NULL,
    "staffMessages" INTEGER NOT NULL,
    "totalMessages" INTEGER NOT NULL,

    CONSTRAINT "StaffNudge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoteReminder" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'sent',

    CONSTRAINT "VoteReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderOptOut" (
    "personId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReminderOptOut_pkey" PRIMARY KEY ("personId","groupId")
);

-- CreateTable
CREATE TABLE "DigestSubscription" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSlot" TIMESTAMP(3),

    CONSTRAINT "DigestSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscussionSummary" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "DiscussionSummary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "slot" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("job","slot")
);

-- CreateIndex
CREATE UNIQUE INDEX "DiscussionMessage_sourceKey_key" ON "DiscussionMessage"("sourceKey");

-- CreateIndex
CREATE INDEX "DiscussionMessage_groupId_at_idx" ON "DiscussionMessage"("groupId", "at");

-- CreateIndex
CREATE INDEX "DiscussionMessage_conversationId_at_idx" ON "DiscussionMessage"("conversationId", "at");

-- CreateIndex
CREATE INDEX "StaffNudge_groupId_at_idx" ON "StaffNudge"("groupId", "at");

-- CreateIndex
CREATE INDEX "StaffNudge_staffId_conversationId_at_idx" ON "StaffNudge"("staffId", "conversationId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "VoteReminder_roundId_personId_key" ON "VoteReminder"("roundId", "personId");

-- CreateIndex
CREATE INDEX "DigestSubscription_frequency_idx" ON "DigestSubscription"("frequency");

-- CreateIndex
CREATE UNIQUE INDEX "DigestSubscription_personId_groupId_key" ON "DigestSubscription"("personId", "groupId");

-- CreateIndex
CREATE INDEX "DiscussionSummary_groupId_at_idx" ON "DiscussionSummary"("groupId", "at");

-- CreateIndex
CREATE INDEX "JobRun_job_state_idx" ON "JobRun"("job", "state");
