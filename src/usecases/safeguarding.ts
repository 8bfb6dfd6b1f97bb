import { z } from 'zod';
import { PuljeError, parseInput, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';

export const ALERT_TO = ['staff', 'admins', 'none'] as const;
export type AlertTo = (typeof ALERT_TO)[number];

/** Crisis signposting for one organisation (issue 15). On by default: a kind answer costs nothing when wrong. */
export interface SafeguardingSettingsView {
  organisationId: string;
  enabled: boolean;
  /** Who gets the private alert: the group's staff (and admins), the organisation's admins only, or no one. */
  alertTo: AlertTo;
  /** Also ask the staff side's model (redacted text) when the phrase lists find nothing. */
  modelClassifier: boolean;
}

const DEFAULTS = { enabled: true, alertTo: 'staff' as AlertTo, modelClassifier: false };

const patchSchema = z.object({
  groupId: idField,
  enabled: z.boolean().optional(),
  alertTo: z.enum(ALERT_TO).optional(),
  modelClassifier: z.boolean().optional(),
});

const signalSchema = z.object({
  groupId: idField,
  source: z.enum(['message', 'idea']),
  level: z.enum(['urgent', 'concern']),
  categories: z
    .array(z.string().regex(/^[a-z-]{1,40}$/))
    .min(1)
    .max(10),
  via: z.enum(['phrases', 'model']),
});

export interface AlertRecipient {
  personId: string;
  displayName: string;
  locale: string | null;
}

export interface RecordedSignal {
  alertId: string;
  /** Who should get the private alert (never the person the signal came from). */
  recipients: AlertRecipient[];
  groupName: string;
  /** The person's own display name, for the alert to staff who can then reach out. */
  personName: string;
  /** Staff were alerted about this person in this group within ALERT_QUIET_MS: no new alert (recipients empty). */
  recentlyAlerted: boolean;
}

/** One alert per person and group in this time: ten worried messages in a row are one thing for staff to act on. */
export const ALERT_QUIET_MS = 6 * 3600 * 1000;

async function organisationOf(db: Prisma | Tx, groupId: string): Promise<{ organisationId: string; name: string }> {
  const group = await db.group.findUnique({ where: { id: groupId }, select: { organisationId: true, name: true } });
  if (!group) throw notFound('group');
  return { organisationId: group.organisationId, name: group.name };
}

async function readSettings(db: Prisma | Tx, organisationId: string): Promise<SafeguardingSettingsView> {
  const row = await db.safeguardingSettings.findUnique({ where: { organisationId } });
  if (!row) return { organisationId, ...DEFAULTS };
  return {
    organisationId,
    enabled: row.enabled,
    alertTo: (ALERT_TO as readonly string[]).includes(row.alertTo) ? (row.alertTo as AlertTo) : 'staff',
    modelClassifier: row.modelClassifier,
  };
}

export function safeguardingUseCases(ctx: Ctx) {
  return {
    /** The settings that apply in a group (any member: the flows ask before screening a message). */
    async settings(actor: unknown, input: unknown): Promise<SafeguardingSettingsView> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      await membershipOf(ctx.prisma, who, groupId);
      return readSettings(ctx.prisma, (await organisationOf(ctx.prisma, groupId)).organisationId);
    },

    /** Changes the organisation's settings (an admin of the group); logged as `config` in the group's log. */
    async update(actor: unknown, input: unknown): Promise<SafeguardingSettingsView> {
      const who = parseActor(actor);
      const { groupId, ...patch } = parseInput(patchSchema, input);
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (!Object.keys(given).length) throw new PuljeError('invalid_input', {}, [{ key: 'issue.nothing_to_change' }]);
      requireRole(await membershipOf(ctx.prisma, who, groupId), ['admin']);
      return ctx.tx(async (tx) => {
        const { organisationId } = await organisationOf(tx, groupId);
        const before = await readSettings(tx, organisationId);
        await tx.safeguardingSettings.upsert({
          where: { organisationId },
          create: { organisationId, ...DEFAULTS, ...given },
          update: given,
        });
        await appendLog(tx, {
          groupId,
          kind: 'config',
          actorId: who.personId,
          data: { action: 'safeguarding_settings', from: before, to: { ...before, ...given } },
          at: ctx.now(),
        });
        return readSettings(tx, organisationId);
      });
    },

    /**
     * A crisis signal noticed in the actor's own message or idea: kept as level and categories only (never the
     * text), with who should get the private alert under the organisation's settings.
     */
    async record(actor: unknown, input: unknown): Promise<RecordedSignal> {
      const who = parseActor(actor);
      const data = parseInput(signalSchema, input);
      await membershipOf(ctx.prisma, who, data.groupId);
      const group = await organisationOf(ctx.prisma, data.groupId);
      const settings = await readSettings(ctx.prisma, group.organisationId);
      const alertId = newId();
      const recent = await ctx.prisma.safeguardingAlert.count({
        where: {
          groupId: data.groupId,
          personId: who.personId,
          alerted: { gt: 0 },
          at: { gte: new Date(ctx.now().getTime() - ALERT_QUIET_MS) },
        },
      });
      await ctx.prisma.safeguardingAlert.create({
        data: {
          id: alertId,
          groupId: data.groupId,
          personId: who.personId,
          source: data.source,
          level: data.level,
          categories: JSON.stringify(data.categories),
          via: data.via,
          at: ctx.now(),
        },
      });
      const where =
        settings.alertTo === 'none' || recent > 0
          ? null
          : settings.alertTo === 'admins'
            ? { role: 'admin', group: { organisationId: group.organisationId } }
            : { groupId: data.groupId, role: { in: ['staff', 'admin'] } };
      const rows = where
        ? await ctx.prisma.membership.findMany({
            where: { ...where, personId: { not: who.personId }, person: { erasedAt: null } },
            select: { person: { select: { id: true, displayName: true, locale: true } } },
          })
        : [];
      const recipients = [...new Map(rows.map((r) => [r.person.id, r.person])).values()].map((p) => ({
        personId: p.id,
        displayName: p.displayName,
        locale: p.locale,
      }));
      const person = await ctx.prisma.person.findUnique({ where: { id: who.personId }, select: { displayName: true } });
      return {
        alertId,
        recipients,
        groupName: group.name,
        personName: person?.displayName ?? '',
        recentlyAlerted: settings.alertTo !== 'none' && recent > 0,
      };
    },

    /** How many staff the alert reached (after the notifier sent it). */
    async alerted(alertId: string, count: number): Promise<void> {
      const { id, n } = parseInput(z.object({ id: idField, n: z.int().min(0).max(10_000) }), { id: alertId, n: count });
      await ctx.prisma.safeguardingAlert.update({ where: { id }, data: { alerted: n } });
    },
  };
}
