-- CreateTable
CREATE TABLE "DiscussionThread" (
    "conversationId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "proposalNumber" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscussionThread_pkey" PRIMARY KEY ("conversationId","threadId")
);
