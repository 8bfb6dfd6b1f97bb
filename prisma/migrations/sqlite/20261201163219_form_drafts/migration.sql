-- CreateTable
CREATE TABLE "FormDraft" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "fields" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "FormDraft_updatedAt_idx" ON "FormDraft"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FormDraft_personId_formId_key" ON "FormDraft"("personId", "formId");
