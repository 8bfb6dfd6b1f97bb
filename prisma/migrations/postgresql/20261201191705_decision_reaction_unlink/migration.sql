-- DropForeignKey
ALTER TABLE "DecisionReaction" DROP CONSTRAINT "DecisionReaction_personId_fkey";

-- AlterTable
ALTER TABLE "DecisionReaction" ALTER COLUMN "personId" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "DecisionReaction" ADD CONSTRAINT "DecisionReaction_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
