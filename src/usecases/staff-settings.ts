import { z } from 'zod';
import { PuljeError, parseInput } from '../core/errors.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { STAFF } from '../domain/roles.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';

/** A group's staff-side settings; a group that never changed them has these. */
export interface StaffSettingsView {
  groupId: string;
  nudgeEnabled: boolean;
  /** A staff member writing more than this percentage of a discussion's messages gets a nudge … */
  nudgeSharePct: number;
  /** … over this many hours … */
  nudgeWindowHours: number;
  /** … once the discussion has at least this many messages. */
  nudgeMinMessages: number;
  remindersEnabled: boolean;
  /** The one reminder to vote goes out this many hours before the voting deadline. */
  reminderHours: number;
  /** Summaries may say who wrote what. Off unless the group decides otherwise. */
  namesInSummaries: boolean;
}

export const DEFAULT_STAFF_SETTINGS: Omit<StaffSettingsView, 'groupId'> = {
  nudgeEnabled: true,
  nudgeSharePct: 30,
  nudgeWindowHours: 24,
  nudgeMinMessages: 10,
  remindersEnabled: true,
  reminderHours: 24,
  namesInSummaries: false,
};

export const staffSettingsPatch = z.object({
  groupId: idField,
  nudgeEnabled: z.boolean().optional(),
  nudgeSharePct: z.int().min(5).max(95).optional(),
  nudgeWindowHours: z
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
  nudgeMinMessages: z.int().min(2).max(1000).optional(),
  remindersEnabled: z.boolean().optional(),
  reminderHours: z
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
  namesInSummaries: z.boolean().optional(),
});

export async function readStaffSettings(db: Prisma | Tx, groupId: string): Promise<StaffSettingsView> {
  const row = await db.groupStaffSettings.findUnique({ where: { groupId } });
  if (!row) return { groupId, ...DEFAULT_STAFF_SETTINGS };
  const { updatedAt: _u, ...view } = row;
  return view;
}

export function staffSettingsUseCases(ctx: Ctx) {
  return {
    /** The group's settings, for its staff. */
    async get(actor: unknown, input: unknown): Promise<StaffSettingsView> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      requireRole(await membershipOf(ctx.prisma, who, groupId), STAFF);
      return readStaffSettings(ctx.prisma, groupId);
    },

    /** Changes some settings (staff); logged as `config`, since whether summaries name people is the group's call. */
    async update(actor: unknown, input: unknown): Promise<StaffSettingsView> {
      const who = parseActor(actor);
      const { groupId, ...patch } = parseInput(staffSettingsPatch, input);
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (!Object.keys(given).length) throw new PuljeError('invalid_input', {}, [{ key: 'issue.nothing_to_change' }]);
      requireRole(await membershipOf(ctx.prisma, who, groupId), STAFF);
      return ctx.tx(async (tx) => {
        const before = await readStaffSettings(tx, groupId);
        const changed = Object.keys(given).filter((k) => before[k as keyof StaffSettingsView] !== given[k]);
        if (!changed.length) return before;
        await tx.groupStaffSettings.upsert({ where: { groupId }, create: { ...before, ...given }, update: given });
        await appendLog(tx, {
          groupId,
          kind: 'config',
          actorId: who.personId,
          data: {
            action: 'staff_settings',
            changed: Object.fromEntries(changed.map((k) => [k, { from: before[k as keyof StaffSettingsView], to: given[k] }])),
          },
          at: ctx.now(),
        });
        return readStaffSettings(tx, groupId);
      });
    },
  };
}
