import { z } from 'zod';
import { STAFF } from '../domain/roles.ts';
import { reply, type Card, type Field } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import { isPhase } from '../domain/phases.ts';
import { formatDateTime } from '../domain/values.ts';
import { isMessageKey, type MessageKey, type Params, type Translate } from '../i18n/index.ts';
import type { LogEntryView, Pulje } from '../usecases/index.ts';
import { actorOf, money, pageArg, pageButtons, pageFooter, pageItems, snippet } from './common.ts';

/** The decision log for staff, newest first: when, who, what, and the reason they gave. */
const FLOW = 'log';
const PAGE_SIZE = 8;
const BATCH = 500;

type Tr = Translate;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function phaseName(tr: Tr, phase: unknown): string {
  return typeof phase === 'string' && isPhase(phase) ? tr(`phase.${phase}`) : str(phase);
}

function fieldName(tr: Tr, name: string): string {
  const key = `field.${name}`;
  return isMessageKey(key) ? tr(key) : name;
}

/** One log entry in words. Unknown kinds still show, by their kind, so nothing in the log is hidden. */
export function describeEntry(tr: Tr, locale: 'da' | 'en', e: LogEntryView, roundTitle: string | undefined): string {
  const d = e.data;
  const round = roundTitle ?? '';
  const ref = `#${num(d.number)}`;
  let what: string;
  switch (e.kind) {
    case 'phase':
      what = tr('flow.log.phase', { round, from: phaseName(tr, d.from), to: phaseName(tr, d.to) });
      break;
    case 'result':
      what = tr('flow.log.result', {
        round,
        funded: Array.isArray(d.selected) ? d.selected.length : 0,
        spent: money(num(d.totalCost), locale),
        ballots: num(d.ballotsCounted),
      });
      break;
    case 'override':
      what = tr(d.action === 'extend_voting' ? 'flow.log.extend_voting' : 'flow.log.reopen_voting', { round });
      break;
    case 'eligibility':
      what = tr(d.to === 'ineligible' ? 'flow.log.ineligible' : 'flow.log.eligible', { round, ref });
      break;
    case 'moderation':
      what = tr(d.to === 'hidden' ? 'flow.log.hidden' : 'flow.log.unhidden', { round, ref });
      break;
    case 'binding':
      what = tr('flow.log.binding', { platform: str(d.platform) });
      break;
    case 'implementation':
      what = tr('flow.log.implementation', {
        round,
        ref,
        status: isMessageKey(`flow.progress.status.${str(d.status)}`)
          ? tr(`flow.progress.status.${str(d.status)}` as MessageKey)
          : str(d.status),
        progress: num(d.progress),
        spent: money(num(d.spent), locale),
      });
      break;
    case 'config':
      switch (d.action) {
        case 'group_created':
          what = tr('flow.log.group_created', { name: str(d.name) });
          break;
        case 'member_added':
          what = tr('flow.log.member_added', {
            role: isMessageKey(`flow.role.${str(d.role)}`) ? tr(`flow.role.${str(d.role)}` as MessageKey) : str(d.role),
          });
          break;
        case 'round_created':
          what = tr('flow.log.round_created', { round });
          break;
        case 'staff_shown':
          what = tr(d.to === 'role' ? 'flow.log.staff_shown.role' : 'flow.log.staff_shown.role_and_name');
          break;
        case 'round_configured': {
          const changed = typeof d.changed === 'object' && d.changed ? Object.keys(d.changed) : [];
          what = tr('flow.log.round_configured', { round, fields: changed.map((f) => fieldName(tr, f)).join(', ') });
          break;
        }
        case 'staff_settings': {
          const changed = typeof d.changed === 'object' && d.changed ? Object.keys(d.changed) : [];
          what = tr('staff.log.settings', { fields: changed.join(', ') });
          break;
        }
        default:
          what = str(d.action) || e.kind;
      }
      break;
    default:
      what = e.kind;
  }
  return e.reason ? `${what}\n${tr('flow.log.reason', { reason: snippet(e.reason, 400) })}` : what;
}

export function registerLog(router: Router, pulje: Pulje): void {
  /** Every entry of the group, newest first (read in batches; a group's log grows by tens per round). */
  async function entries(ctx: MemberContext): Promise<LogEntryView[]> {
    const all: LogEntryView[] = [];
    for (let afterSeq = 0; ; ) {
      const batch = await pulje.log.read(actorOf(ctx), { groupId: ctx.conversation.groupId, afterSeq, limit: BATCH });
      all.push(...batch);
      if (batch.length < BATCH) break;
      afterSeq = batch.at(-1)!.seq;
    }
    return all.reverse();
  }

  async function card(ctx: MemberContext, requestedPage: number): Promise<Card> {
    const [list, rounds] = await Promise.all([entries(ctx), pulje.rounds.list(actorOf(ctx), { groupId: ctx.conversation.groupId })]);
    const titles = new Map(rounds.map((r) => [r.id, r.title]));
    const { items, page, pages } = pageItems(list, PAGE_SIZE, requestedPage);
    const fields: Field[] = items.map((e) => ({
      label: `${formatDateTime(new Date(e.at), ctx.locale)} · ${e.actorName ?? ctx.t('flow.log.system')}`,
      value: describeEntry(ctx.t, ctx.locale, e, e.roundId ? titles.get(e.roundId) : undefined),
    }));
    const tr = ctx.t;
    const out: Card = {
      title: ctx.t('flow.log.title', { group: ctx.conversation.groupName }),
      body: list.length ? ctx.t('flow.log.intro') : ctx.t('flow.log.empty'),
      fields,
      controls: pageButtons(tr, (p) => ({ flow: FLOW, verb: 'page', args: [String(p)] }), page, pages),
      tone: 'neutral',
    };
    const footer = pageFooter(tr, page, pages);
    return footer ? { ...out, footer } : out;
  }

  router
    .command({
      name: 'log',
      description: 'flow.command.log',
      roles: STAFF,
      handler: async (ctx) => reply.private({ cards: [await card(ctx, 0)] }),
    })
    .alias('logbog', 'log')
    .action({
      flow: FLOW,
      verb: 'page',
      args: z.tuple([pageArg]),
      roles: STAFF,
      handler: async (ctx, { args: [page] }) => reply.update({ cards: [await card(ctx, page)] }),
    });
}
