-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "staffShown" TEXT NOT NULL DEFAULT 'role_and_name';

-- CreateTable
CREATE TABLE "DecisionReaction" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "logEntryId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'disagree',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "DecisionReaction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DecisionReaction_groupId_idx" ON "DecisionReaction"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "DecisionReaction_logEntryId_personId_key" ON "DecisionReaction"("logEntryId", "personId");

-- AddForeignKey
ALTER TABLE "DecisionReaction" ADD CONSTRAINT "DecisionReaction_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionReaction" ADD CONSTRAINT "DecisionReaction_logEntryId_fkey" FOREIGN KEY ("logEntryId") REFERENCES "LogEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionReaction" ADD CONSTRAINT "DecisionReaction_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
