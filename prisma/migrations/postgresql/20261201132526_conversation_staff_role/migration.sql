-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "staffRoleId" TEXT;
