-- CreateTable
CREATE TABLE "SlackInstallation" (
    "teamId" TEXT NOT NULL PRIMARY KEY,
    "enterprise" TEXT,
    "appId" TEXT,
    "botToken" TEXT NOT NULL,
    "botId" TEXT,
    "botUserId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "installedBy" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rest" TEXT NOT NULL DEFAULT '{}'
);
