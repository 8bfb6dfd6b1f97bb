import { z } from 'zod';
import type { FormDraftStore } from '../conversation/ports.ts';
import { newId } from '../core/ids.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Ctx } from './context.ts';

// The router's plumbing, like the handled-event claims: it passes the person it resolved and the form id and
// fields of an event that already passed the inbound schema. What is read back is checked again, since a row
// is only as good as what wrote it.
const fieldsSchema = z.record(z.string().max(64), z.string().max(4000));

/** Drafts of refused forms (see FormDraftStore): gone once the form goes through, and after a day (retention). */
export function formDraftsUseCases(ctx: Ctx): FormDraftStore {
  const { prisma } = ctx;
  return {
    async keep(personId, formId, fields) {
      // "Send anyway" is a choice made once, not something typed: it is never kept.
      const { _confirm: _, ...typed } = fields;
      const text = JSON.stringify(fieldsSchema.parse(typed));
      const where = { personId_formId: { personId, formId } };
      const updatedAt = ctx.now();
      const id = newId();
      try {
        await prisma.formDraft.upsert({
          where,
          create: { id, personId, formId, fields: text, updatedAt },
          update: { id, fields: text, updatedAt },
        });
        return id;
      } catch (error) {
        // Two refusals of the same form at once: either one's values will do.
        if (!isUniqueViolation(error)) throw error;
        const row = await prisma.formDraft.findUnique({ where, select: { id: true } });
        return row?.id ?? id;
      }
    },
    async get(personId, formId) {
      const row = await prisma.formDraft.findUnique({ where: { personId_formId: { personId, formId } }, select: { fields: true } });
      if (!row) return null;
      const parsed = fieldsSchema.safeParse(JSON.parse(row.fields));
      return parsed.success ? parsed.data : null;
    },
    async find(personId, draftId) {
      if (!z.uuid().safeParse(draftId).success) return null;
      const row = await prisma.formDraft.findFirst({ where: { id: draftId, personId }, select: { formId: true, fields: true } });
      if (!row) return null;
      const parsed = fieldsSchema.safeParse(JSON.parse(row.fields));
      return parsed.success ? { formId: row.formId, fields: parsed.data } : null;
    },
    async drop(personId, formId) {
      await prisma.formDraft.deleteMany({ where: { personId, formId } });
    },
  };
}
