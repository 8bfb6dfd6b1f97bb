-- AlterTable
ALTER TABLE "ProcessedEvent" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'done';
