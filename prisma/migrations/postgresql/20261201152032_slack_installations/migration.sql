-- CreateTable
CREATE TABLE "SlackInstallation" (
    "teamId" TEXT NOT NULL,
    "enterprise" TEXT,
    "appId" TEXT,
    "botToken" TEXT NOT NULL,
    "botId" TEXT,
    "botUserId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "installedBy" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rest" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("teamId")
);
