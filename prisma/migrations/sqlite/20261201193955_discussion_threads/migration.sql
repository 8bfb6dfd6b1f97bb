-- CreateTable
CREATE TABLE "DiscussionThread" (
    "conversationId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "proposalNumber" INTEGER,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("conversationId", "threadId")
);
