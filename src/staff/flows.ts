import { z } from 'zod';
import { withAnnouncement } from '../flows/decisions.ts';
import { PuljeError } from '../core/errors.ts';
import type { MessageEvent } from '../conversation/events.ts';
import { reply, type Card, type Control, type Field, type Reply } from '../conversation/outbound.ts';
import { type Logger, silentLogger } from '../conversation/ports.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import { ADMIN, STAFF } from '../domain/roles.ts';
import { formatDateTime } from '../domain/values.ts';
import { actorOf, button, groupText, idArg, readCount, roundInGroup, withRound } from '../flows/common.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import type { NudgeView, OverrideKind, Pulje, RoundView, StaffSettingsView } from '../usecases/index.ts';
import type { Safeguard } from '../flows/safeguarding.ts';
import { remindAction } from './jobs.ts';
import type { ModelClient } from './model.ts';
import type { Prompts } from './prompts.ts';
import { failureNote, sparringCard, storedSummary, summaryCard } from './render.ts';
import { SPARRING_BANK } from './sparring-bank.ts';
import { spar } from './sparring.ts';
import { summarize } from './summary.ts';
import { formatDeadlineInput, parseDeadline } from './time.ts';

export interface StaffFlowDeps {
  pulje: Pulje;
  prompts: Prompts;
  /** The language model, when one is configured; every feature works without. */
  model?: ModelClient | undefined;
  /** Keys members' pseudonym letters (PULJE_SECRET). */
  pseudonymSecret?: string | undefined;
  log?: Logger;
  /** The time now, for deadlines typed without a year (tests); Date.now by default. */
  now?: () => Date;
  /** Where the dashboard is served (PULJE_PUBLIC_URL, else the web server's own address), for /dashboard's link. */
  dashboardBase?: string | undefined;
  /** Crisis signposting: every captured message is read for signals (src/flows/safeguarding.ts). */
  safeguard?: Safeguard;
}

export const deadlineAction = {
  show: (roundId: string) => ({ flow: 'deadline', verb: 'show', args: [roundId] }),
  set: (roundId: string) => ({ flow: 'deadline', verb: 'set', args: [roundId] }),
  extend: (roundId: string) => ({ flow: 'deadline', verb: 'extend', args: [roundId] }),
};

const TOGGLES = ['nudgeEnabled', 'remindersEnabled', 'namesInSummaries'] as const;

/** "7", "7d", "7 dage" → days; "#3", "idé 3", "idea 3" → one idea's discussion; nothing → the last 7 days. */
export function parseScope(text: string | undefined): { days: number } | { proposalNumber: number } {
  const s = (text ?? '').trim().toLocaleLowerCase('da');
  if (!s) return { days: 7 };
  const idea = /^(?:#|(?:idé|ide|idea|forslag|proposal)\s*#?)\s*(\d{1,7})$/.exec(s);
  if (idea) return { proposalNumber: Number(idea[1]) };
  const days = /^(\d{1,3})\s*(?:d|dag|dage|day|days)?$/.exec(s);
  if (days && Number(days[1]) >= 1 && Number(days[1]) <= 365) return { days: Number(days[1]) };
  throw new PuljeError('invalid_input', {}, [{ key: 'staff.issue.scope' }]);
}

function nudgeCard(locale: Locale, n: NudgeView): Card {
  const tr = translator(locale);
  return {
    title: tr('staff.nudge.title'),
    body: tr('staff.nudge.body', { mine: n.staffMessages, total: n.totalMessages, share: n.sharePct, hours: n.windowHours }),
    fields: [{ label: tr('staff.nudge.try'), value: SPARRING_BANK[locale].dominant.questions.map((q) => `• ${q}`).join('\n') }],
    footer: tr('staff.nudge.footer'),
    tone: 'info',
  };
}

const KIND_KEYS: Record<OverrideKind, MessageKey> = {
  ineligible: 'staff.overrides.ineligible',
  hidden: 'staff.overrides.hidden',
  reopened: 'staff.overrides.reopened',
  extended: 'staff.overrides.extended',
  result_changed: 'staff.overrides.result_changed',
};

/**
 * The staff side in chat, the same on every surface: discussion capture and the talk-share nudge (the router's
 * message handler), /summary, /sparring, /staffsettings, /follow and /unfollow, /deadlines and /extend,
 * /overrides, and the one-tap reminder opt-out.
 */
export function registerStaff(router: Router, deps: StaffFlowDeps): void {
  const { pulje } = deps;
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? (() => new Date());

  // --- capture and the nudge ----------------------------------------------------------------------------
  router.message({
    async handler(ctx) {
      const event = ctx.event as MessageEvent;
      const result = await pulje.discussion.capture(actorOf(ctx), {
        conversationId: ctx.conversation.conversationId,
        sourceKey: `${event.conversation.platform}:${event.messageId ?? event.idempotencyKey}`,
        text: event.text,
        threadId: event.thread?.id ?? null,
        threadName: event.thread?.name ?? null,
        link: event.link ?? null,
      });
      // A crisis answer first: it is the one thing in this reply that matters more than the nudge.
      const care = deps.safeguard ? await deps.safeguard.screen(ctx, event.text, 'message') : [];
      return [...care, ...(result.nudge ? [reply.private({ cards: [nudgeCard(ctx.locale, result.nudge)] })] : [])];
    },
  });

  // --- /summary -------------------------------------------------------------------------------------------
  router
    .command({
      name: 'summary',
      description: 'staff.command.summary',
      args: [{ name: 'scope', hint: 'staff.arg.scope' }],
      async handler(ctx, { args }) {
        const scope = parseScope(args.scope);
        const outcome = await summarize(
          { pulje, prompts: deps.prompts, model: deps.model, pseudonymSecret: deps.pseudonymSecret, log },
          actorOf(ctx),
          { groupId: ctx.conversation.groupId, locale: ctx.locale, ...scope },
        );
        if (!outcome) return reply.private(ctx.t('staff.summary.empty'));
        await pulje.discussion.saveSummary(actorOf(ctx), {
          groupId: ctx.conversation.groupId,
          source: outcome.source,
          payload: storedSummary(outcome),
        });
        const note = failureNote(ctx.locale, outcome.failure);
        return [...(note ? [reply.private(note)] : []), reply.private({ cards: [summaryCard(ctx.locale, outcome)] })];
      },
    })
    .alias('resume', 'summary')
    .alias('resumé', 'summary');

  // --- /sparring ------------------------------------------------------------------------------------------
  const sparring = async (ctx: MemberContext, situation: string): Promise<Reply[]> => {
    const members = await pulje.discussion.members(actorOf(ctx), { groupId: ctx.conversation.groupId });
    const outcome = await spar(
      { prompts: deps.prompts, model: deps.model, pseudonymSecret: deps.pseudonymSecret, log },
      { situation, locale: ctx.locale, groupId: ctx.conversation.groupId, members },
    );
    const note = failureNote(ctx.locale, outcome.failure);
    return [...(note ? [reply.private(note)] : []), reply.private({ cards: [sparringCard(ctx.locale, outcome)] })];
  };
  router
    .command({
      name: 'sparring',
      description: 'staff.command.sparring',
      roles: STAFF,
      args: [{ name: 'situation', hint: 'staff.arg.situation' }],
      handler(ctx, { args }) {
        if (args.situation?.trim()) return sparring(ctx, args.situation.trim());
        return reply.form({
          action: { flow: 'sparring', verb: 'ask' },
          title: ctx.t('staff.sparring.form_title'),
          inputs: [
            {
              name: 'situation',
              label: ctx.t('staff.sparring.input'),
              kind: 'long',
              required: true,
              maxLength: 2000,
              placeholder: ctx.t('staff.sparring.input_hint'),
            },
          ],
          submitLabel: ctx.t('staff.sparring.submit'),
        });
      },
    })
    .form({
      flow: 'sparring',
      verb: 'ask',
      roles: STAFF,
      handler(ctx, { fields }) {
        const situation = (fields.situation ?? '').trim();
        if (!situation)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.required', params: { field: { key: 'staff.arg.situation' } } }]);
        return sparring(ctx, situation);
      },
    });

  // --- /staffsettings -------------------------------------------------------------------------------------
  const onOff = (ctx: MemberContext, on: boolean) => ctx.t(on ? 'staff.settings.on' : 'staff.settings.off');
  function settingsCard(ctx: MemberContext, s: StaffSettingsView, intro?: string): Card {
    const tr = ctx.t;
    const fields: Field[] = [
      {
        label: tr('staff.settings.nudge'),
        value: s.nudgeEnabled
          ? tr('staff.settings.nudge_value', { share: s.nudgeSharePct, hours: s.nudgeWindowHours, min: s.nudgeMinMessages })
          : onOff(ctx, false),
      },
      {
        label: tr('staff.settings.reminders'),
        value: s.remindersEnabled ? tr('staff.settings.reminders_value', { hours: s.reminderHours }) : onOff(ctx, false),
      },
      { label: tr('staff.settings.names'), value: tr(s.namesInSummaries ? 'staff.settings.names_on' : 'staff.settings.names_off') },
    ];
    const toggle = (field: (typeof TOGGLES)[number], label: MessageKey, on: boolean): Control =>
      button(`${tr(label)}: ${onOff(ctx, !on)}`, { flow: 'staffset', verb: 'toggle', args: [field] });
    return {
      title: tr('staff.settings.title', { group: ctx.conversation.groupName }),
      ...(intro ? { body: intro } : {}),
      fields,
      controls: [
        toggle('nudgeEnabled', 'staff.settings.nudge', s.nudgeEnabled),
        toggle('remindersEnabled', 'staff.settings.reminders', s.remindersEnabled),
        toggle('namesInSummaries', 'staff.settings.names_short', s.namesInSummaries),
        button(tr('staff.settings.numbers'), { flow: 'staffset', verb: 'numbers' }, 'primary'),
      ],
      tone: 'neutral',
    };
  }
  router
    .command({
      name: 'staffsettings',
      description: 'staff.command.settings',
      roles: STAFF,
      handler: async (ctx) =>
        reply.private({ cards: [settingsCard(ctx, await pulje.staffSettings.get(actorOf(ctx), { groupId: ctx.conversation.groupId }))] }),
    })
    .action({
      flow: 'staffset',
      verb: 'toggle',
      args: z.tuple([z.enum(TOGGLES)]),
      roles: STAFF,
      async handler(ctx, { args: [field] }) {
        const groupId = ctx.conversation.groupId;
        const current = await pulje.staffSettings.get(actorOf(ctx), { groupId });
        const next = await pulje.staffSettings.update(actorOf(ctx), { groupId, [field]: !current[field] });
        return reply.update({ cards: [settingsCard(ctx, next, ctx.t('staff.settings.saved'))] });
      },
    })
    .action({
      flow: 'staffset',
      verb: 'numbers',
      roles: STAFF,
      async handler(ctx) {
        const s = await pulje.staffSettings.get(actorOf(ctx), { groupId: ctx.conversation.groupId });
        const num = (name: string, label: MessageKey, value: number) => ({
          name,
          label: ctx.t(label),
          kind: 'number' as const,
          required: true,
          maxLength: 4,
          initial: String(value),
        });
        return reply.form({
          action: { flow: 'staffset', verb: 'numbers' },
          title: ctx.t('staff.settings.numbers'),
          inputs: [
            num('share', 'staff.settings.input.share', s.nudgeSharePct),
            num('hours', 'staff.settings.input.hours', s.nudgeWindowHours),
            num('min', 'staff.settings.input.min', s.nudgeMinMessages),
            num('remind', 'staff.settings.input.remind', s.reminderHours),
          ],
          submitLabel: ctx.t('staff.settings.save'),
        });
      },
    })
    .form({
      flow: 'staffset',
      verb: 'numbers',
      roles: STAFF,
      async handler(ctx, { fields }) {
        const patch = {
          nudgeSharePct: readCount(fields.share, 'staff.settings.input.share', 5, 95, 'share'),
          nudgeWindowHours: readCount(fields.hours, 'staff.settings.input.hours', 1, 336, 'hours'),
          nudgeMinMessages: readCount(fields.min, 'staff.settings.input.min', 2, 1000, 'min'),
          reminderHours: readCount(fields.remind, 'staff.settings.input.remind', 1, 336, 'remind'),
        };
        const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
        const groupId = ctx.conversation.groupId;
        const current = await pulje.staffSettings.get(actorOf(ctx), { groupId });
        const changed = Object.entries(given).some(([k, v]) => current[k as keyof StaffSettingsView] !== v);
        const next = changed ? await pulje.staffSettings.update(actorOf(ctx), { groupId, ...given }) : current;
        return reply.private({ cards: [settingsCard(ctx, next, ctx.t(changed ? 'staff.settings.saved' : 'staff.settings.unchanged'))] });
      },
    });

  // --- /follow, /unfollow ---------------------------------------------------------------------------------
  router
    .command({
      name: 'follow',
      description: 'staff.command.follow',
      roles: STAFF,
      args: [{ name: 'how', hint: 'staff.arg.frequency' }],
      async handler(ctx, { args }) {
        const how = (args.how ?? '').trim().toLocaleLowerCase('da');
        const frequency = /^(weekly|week|ugentlig|ugentligt|uge)$/.test(how)
          ? 'weekly'
          : /^(daily|day|daglig|dagligt|dag|)$/.test(how)
            ? 'daily'
            : null;
        if (!frequency) throw new PuljeError('invalid_input', {}, [{ key: 'staff.issue.frequency' }]);
        await pulje.digests.follow(actorOf(ctx), { groupId: ctx.conversation.groupId, frequency });
        return reply.private(
          ctx.t(frequency === 'daily' ? 'staff.follow.daily' : 'staff.follow.weekly', { group: ctx.conversation.groupName }),
        );
      },
    })
    .alias('følg', 'follow')
    .command({
      name: 'unfollow',
      description: 'staff.command.unfollow',
      roles: STAFF,
      async handler(ctx) {
        const { removed } = await pulje.digests.unfollow(actorOf(ctx), { groupId: ctx.conversation.groupId });
        return reply.private(ctx.t(removed ? 'staff.unfollow.done' : 'staff.unfollow.none', { group: ctx.conversation.groupName }));
      },
    })
    .alias('stopfølg', 'unfollow');

  // --- /deadlines, /extend --------------------------------------------------------------------------------
  function deadlineCard(ctx: MemberContext, r: RoundView, intro?: string): Card {
    const tr = ctx.t;
    const show = (iso: string | null) => (iso ? formatDateTime(new Date(iso), ctx.locale) : tr('staff.deadline.none'));
    const controls: Control[] = [];
    if (r.phase === 'draft' || r.phase === 'ideas') controls.push(button(tr('staff.deadline.set'), deadlineAction.set(r.id), 'primary'));
    if (r.phase === 'voting') controls.push(button(tr('staff.deadline.extend'), deadlineAction.extend(r.id), 'primary'));
    return {
      title: tr('staff.deadline.title', { round: r.title }),
      body: intro ? [{ text: intro, strong: true }, '\n\n', tr('staff.deadline.intro')] : tr('staff.deadline.intro'),
      fields: [
        { label: tr('flow.round.ideas_deadline'), value: show(r.ideasDeadline), inline: true },
        { label: tr('flow.round.voting_deadline'), value: show(r.votingDeadline), inline: true },
      ],
      controls,
      tone: 'neutral',
    };
  }
  const extendForm = (ctx: MemberContext, r: RoundView) =>
    reply.form({
      action: deadlineAction.extend(r.id),
      title: ctx.t('staff.deadline.extend'),
      inputs: [
        {
          name: 'deadline',
          label: ctx.t('staff.deadline.input.new'),
          kind: 'short',
          required: true,
          maxLength: 40,
          placeholder: ctx.t('staff.deadline.input.hint'),
          ...(r.votingDeadline ? { initial: formatDeadlineInput(new Date(r.votingDeadline)) } : {}),
        },
        { name: 'reason', label: ctx.t('staff.deadline.input.reason'), kind: 'long', required: true, maxLength: 1000 },
      ],
      submitLabel: ctx.t('staff.deadline.extend'),
    });
  const readDeadline = (text: string | undefined, field: MessageKey): Date | null => {
    const at = parseDeadline(text ?? '', now());
    if (at === undefined) throw new PuljeError('invalid_input', {}, [{ key: 'staff.issue.deadline', params: { field: { key: field } } }]);
    return at;
  };
  const roundArg = z.tuple([idArg]);
  router
    .command({
      name: 'deadlines',
      description: 'staff.command.deadlines',
      roles: STAFF,
      handler: (ctx) =>
        withRound(ctx, pulje, ['draft', 'ideas', 'voting'], deadlineAction.show, (r) => reply.private({ cards: [deadlineCard(ctx, r)] })),
    })
    .alias('frister', 'deadlines')
    .command({
      name: 'extend',
      description: 'staff.command.extend',
      roles: STAFF,
      handler: (ctx) => withRound(ctx, pulje, ['voting'], deadlineAction.extend, (r) => extendForm(ctx, r)),
    })
    .alias('forlæng', 'extend')
    .action({
      flow: 'deadline',
      verb: 'show',
      args: roundArg,
      roles: STAFF,
      handler: async (ctx, { args: [id] }) => reply.private({ cards: [deadlineCard(ctx, await roundInGroup(ctx, pulje, id))] }),
    })
    .action({
      flow: 'deadline',
      verb: 'set',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const r = await roundInGroup(ctx, pulje, id);
        if (r.phase === 'voting') return extendForm(ctx, r);
        const input = (name: string, label: MessageKey, iso: string | null) => ({
          name,
          label: ctx.t(label),
          kind: 'short' as const,
          maxLength: 40,
          placeholder: ctx.t('staff.deadline.input.hint'),
          ...(iso ? { initial: formatDeadlineInput(new Date(iso)) } : {}),
        });
        return reply.form({
          action: deadlineAction.set(r.id),
          title: ctx.t('staff.deadline.set'),
          inputs: [
            input('ideas', 'flow.round.ideas_deadline', r.ideasDeadline),
            input('voting', 'flow.round.voting_deadline', r.votingDeadline),
          ],
          submitLabel: ctx.t('staff.settings.save'),
        });
      },
    })
    .form({
      flow: 'deadline',
      verb: 'set',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id], fields }) {
        const r = await roundInGroup(ctx, pulje, id);
        const patch: Record<string, Date | null> = {};
        const same = (a: Date | null, b: string | null) => (a?.getTime() ?? null) === (b ? new Date(b).getTime() : null);
        if (fields.ideas !== undefined) {
          const at = readDeadline(fields.ideas, 'flow.round.ideas_deadline');
          if (!same(at, r.ideasDeadline)) patch.ideasDeadline = at;
        }
        if (fields.voting !== undefined) {
          const at = readDeadline(fields.voting, 'flow.round.voting_deadline');
          if (!same(at, r.votingDeadline)) patch.votingDeadline = at;
        }
        if (!Object.keys(patch).length) return reply.private({ cards: [deadlineCard(ctx, r, ctx.t('staff.settings.unchanged'))] });
        const updated = await pulje.rounds.configure(actorOf(ctx), { roundId: r.id, ...patch });
        return reply.private({ cards: [deadlineCard(ctx, updated, ctx.t('staff.settings.saved'))] });
      },
    })
    .action({
      flow: 'deadline',
      verb: 'extend',
      args: roundArg,
      roles: STAFF,
      handler: async (ctx, { args: [id] }) => extendForm(ctx, await roundInGroup(ctx, pulje, id)),
    })
    .form({
      flow: 'deadline',
      verb: 'extend',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id], fields }) {
        const r = await roundInGroup(ctx, pulje, id);
        const at = readDeadline(fields.deadline, 'staff.deadline.input.new');
        if (!at)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.required', params: { field: { key: 'staff.deadline.input.new' } } }]);
        // An extension is a staff decision over the young people's heads: announced in the open, with who and why.
        const { value: updated, announcements } = await withAnnouncement(ctx, pulje, () =>
          pulje.rounds.extendVoting(actorOf(ctx), { roundId: r.id, reason: fields.reason, votingDeadline: at }),
        );
        return [reply.private({ cards: [deadlineCard(ctx, updated, ctx.t('staff.deadline.extended'))] }), ...announcements];
      },
    });

  // --- /dashboard: a one-time sign-in link, privately ----------------------------------------------------
  router
    .command({
      name: 'dashboard',
      description: 'staff.command.dashboard',
      roles: STAFF,
      async handler(ctx) {
        const link = await pulje.dashboardAccess.issueLink(actorOf(ctx));
        const base = (deps.dashboardBase ?? '').replace(/\/$/, '');
        return reply.private({
          cards: [
            {
              title: ctx.t('staff.dashboard.title'),
              body: ctx.t('staff.dashboard.body', { url: `${base}/dashboard/signin/${link.token}`, minutes: 15 }),
              footer: ctx.t('staff.dashboard.footer'),
              tone: 'info',
            },
          ],
        });
      },
    })
    .alias('overblik', 'dashboard')
    // Programme staff are never in a group chat: an admin adds one and hands on the link.
    .command({
      name: 'programme',
      description: 'staff.command.programme',
      args: [{ name: 'name', hint: 'staff.arg.name', required: true }],
      roles: ADMIN,
      async handler(ctx, { args }) {
        const added = await pulje.dashboardAccess.addProgrammeStaff(actorOf(ctx), {
          groupId: ctx.conversation.groupId,
          displayName: args.name ?? '',
        });
        const base = (deps.dashboardBase ?? '').replace(/\/$/, '');
        return reply.private({
          cards: [
            {
              title: ctx.t(added.again ? 'staff.programme.again' : 'staff.programme.title', { name: added.displayName }),
              body: ctx.t('staff.programme.body', { name: added.displayName, url: `${base}/dashboard/signin/${added.token}`, minutes: 15 }),
              footer: ctx.t('staff.dashboard.footer'),
              tone: 'info',
            },
          ],
        });
      },
    })
    .alias('program', 'programme');

  // --- /overrides -----------------------------------------------------------------------------------------
  router
    .command({
      name: 'overrides',
      description: 'staff.command.overrides',
      roles: STAFF,
      async handler(ctx) {
        const counts = await pulje.overrides.count(actorOf(ctx), { groupId: ctx.conversation.groupId });
        const tr = ctx.t;
        const kinds = (byKind: Record<OverrideKind, number>) =>
          (Object.keys(KIND_KEYS) as OverrideKind[])
            .filter((k) => byKind[k] > 0)
            .map((k) => `${tr(KIND_KEYS[k])}: ${byKind[k]}`)
            .join(' · ');
        const fields: Field[] = counts.byStaff.map((s) => ({
          label: `${s.displayName ?? tr('flow.log.system')} (${s.total})`,
          value: kinds(s.byKind),
        }));
        return reply.private({
          cards: [
            {
              title: tr('staff.overrides.title', { group: ctx.conversation.groupName }),
              body: counts.total ? tr('staff.overrides.intro', { count: counts.total }) : tr('staff.overrides.none'),
              fields,
              footer: tr('staff.overrides.footer'),
              tone: 'neutral',
            },
          ],
        });
      },
    })
    .alias('overstyringer', 'overrides');

  // --- the reminder's one-tap opt-out (works in a DM: it needs a person, not the group's chat place) ----------
  router
    .action({
      flow: 'remind',
      verb: 'stop',
      args: z.tuple([idArg]),
      requires: 'person',
      async handler(ctx, { args: [groupId] }) {
        await pulje.reminders.optOut(actorOf(ctx), { groupId });
        return reply.update({
          cards: [
            {
              body: ctx.t('staff.remind.stopped'),
              controls: [button(ctx.t('staff.remind.restart'), remindAction.start(groupId))],
              tone: 'neutral',
            },
          ],
        });
      },
    })
    .action({
      flow: 'remind',
      verb: 'start',
      args: z.tuple([idArg]),
      requires: 'person',
      async handler(ctx, { args: [groupId] }) {
        await pulje.reminders.optIn(actorOf(ctx), { groupId });
        return reply.update({ cards: [{ body: ctx.t('staff.remind.restarted'), tone: 'neutral' }] });
      },
    });
}
