-- CreateTable
CREATE TABLE "PublicCard" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "roundId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublicCard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PublicCard_platform_workspace_scope_idx" ON "PublicCard"("platform", "workspace", "scope");

-- CreateIndex
CREATE INDEX "PublicCard_roundId_idx" ON "PublicCard"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "PublicCard_platform_channelId_messageId_scope_key" ON "PublicCard"("platform", "channelId", "messageId", "scope");
