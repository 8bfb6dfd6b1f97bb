-- CreateTable
CREATE TABLE "FormDraft" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "fields" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FormDraft_updatedAt_idx" ON "FormDraft"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FormDraft_personId_formId_key" ON "FormDraft"("personId", "formId");
