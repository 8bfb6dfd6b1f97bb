-- CreateTable
CREATE TABLE "PublicCard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "roundId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PublicCard_platform_workspace_scope_idx" ON "PublicCard"("platform", "workspace", "scope");

-- CreateIndex
CREATE INDEX "PublicCard_roundId_idx" ON "PublicCard"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "PublicCard_platform_channelId_messageId_scope_key" ON "PublicCard"("platform", "channelId", "messageId", "scope");
