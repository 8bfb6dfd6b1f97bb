-- CreateTable
CREATE TABLE "SayInvite" (
    "roundId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'sent',

    CONSTRAINT "SayInvite_pkey" PRIMARY KEY ("roundId","personId")
);

-- CreateIndex
CREATE INDEX "SayInvite_personId_idx" ON "SayInvite"("personId");
