-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DecisionReaction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "logEntryId" TEXT NOT NULL,
    "personId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'disagree',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "withdrawnAt" DATETIME,
    CONSTRAINT "DecisionReaction_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DecisionReaction_logEntryId_fkey" FOREIGN KEY ("logEntryId") REFERENCES "LogEntry" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DecisionReaction_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_DecisionReaction" ("createdAt", "groupId", "id", "kind", "logEntryId", "personId", "updatedAt", "withdrawnAt") SELECT "createdAt", "groupId", "id", "kind", "logEntryId", "personId", "updatedAt", "withdrawnAt" FROM "DecisionReaction";
DROP TABLE "DecisionReaction";
ALTER TABLE "new_DecisionReaction" RENAME TO "DecisionReaction";
CREATE INDEX "DecisionReaction_groupId_idx" ON "DecisionReaction"("groupId");
CREATE UNIQUE INDEX "DecisionReaction_logEntryId_personId_key" ON "DecisionReaction"("logEntryId", "personId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
