-- CreateTable
CREATE TABLE "SayInvite" (
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'sent',

    PRIMARY KEY ("roundId", "personId")
);

-- CreateIndex
CREATE INDEX "SayInvite_personId_idx" ON "SayInvite"("personId");
