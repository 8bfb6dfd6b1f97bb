import { z } from 'zod';
import { PuljeError } from '../core/errors.ts';
import { type Button, type Control, type Reply, reply } from '../conversation/outbound.ts';
import type { ActionRef } from '../conversation/action-id.ts';
import type { MemberContext } from '../conversation/router.ts';
import { wrongPhase, type Phase } from '../domain/phases.ts';
import { MAX_MONEY, moneyParam } from '../domain/values.ts';
import { STAFF, YOUTH, forbidden, isStaffRole, type Role } from '../domain/roles.ts';
import { formatMoney, parseMoney, t, type Locale, type MessageKey, type Params, type Translate, translator } from '../i18n/index.ts';
import type { Pulje, RoundView } from '../usecases/index.ts';

/** Action and form arguments. Round, proposal and group ids are UUIDs (the codec packs them small). */
export const idArg = z.uuid();
export const numberArg = z
  .string()
  .regex(/^\d{1,7}$/)
  .transform(Number);
export const pageArg = z
  .string()
  .regex(/^\d{1,4}$/)
  .transform(Number);

export const actorOf = (ctx: { person: { personId: string } }) => ({ personId: ctx.person.personId });
export const isStaff = (ctx: { role: Role | null }) => isStaffRole(ctx.role);

/** Texts for everyone in the conversation: the group's language, whatever the actor's own choice is. */
export function groupText(ctx: MemberContext): { locale: Locale; t: Translate } {
  const locale = ctx.conversation.locale;
  return { locale, t: translator(locale) };
}

export const money = (minor: number, locale: Locale, currency = 'DKK') => formatMoney(minor, locale, currency);

/**
 * Kroner typed into a form ("2.500", "2500 kr.", "2.500,50"): read the reader's way, else the other language's
 * ("2,500" in a Danish group). No amount is read differently by the two, so the fallback cannot misread one.
 */
export function readMoney(text: string | undefined, locale: Locale, field: MessageKey, input?: string): number {
  const other: Locale = locale === 'da' ? 'en' : 'da';
  const value = parseMoney(text ?? '', locale) ?? parseMoney(text ?? '', other);
  const where = input ? { input } : {};
  if (value === undefined || value <= 0)
    throw new PuljeError('invalid_input', {}, [{ key: 'flow.issue.money', params: { field: { key: field } }, ...where }]);
  if (value > MAX_MONEY)
    throw new PuljeError('invalid_input', {}, [
      { key: 'issue.too_big', params: { field: { key: field }, max: moneyParam(MAX_MONEY) }, ...where },
    ]);
  return value;
}

/** A whole number typed into a form; blank gives null. */
export function readCount(text: string | undefined, field: MessageKey, min: number, max: number, input?: string): number | null {
  const trimmed = (text ?? '').replace(/\s|%/g, '');
  if (!trimmed) return null;
  if (!/^\d{1,9}$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
    throw new PuljeError('invalid_input', {}, [
      { key: 'flow.issue.count', params: { field: { key: field }, min, max }, ...(input ? { input } : {}) },
    ]);
  }
  return Number(trimmed);
}

const noRound = () => new PuljeError('not_found', { what: { key: 'flow.what.running_round' } });

/** The group's rounds the reader may see, newest first (read once per event). */
export function roundsOf(ctx: MemberContext, pulje: Pulje): Promise<RoundView[]> {
  return ctx.memo('rounds', () => pulje.rounds.list(actorOf(ctx), { groupId: ctx.conversation.groupId }));
}

/** The round a command without a round means: the newest one still running, else the newest one. */
export async function currentRound(ctx: MemberContext, pulje: Pulje): Promise<RoundView> {
  const rounds = await roundsOf(ctx, pulje);
  const round = rounds.find((r) => r.phase !== 'done') ?? rounds[0];
  if (!round) throw noRound();
  return round;
}

/** The newest round in one of `phases`; otherwise `wrong_phase` naming the phase of the current round. */
export async function roundIn(ctx: MemberContext, pulje: Pulje, phases: readonly Phase[]): Promise<RoundView> {
  const rounds = await roundsOf(ctx, pulje);
  const match = rounds.find((r) => phases.includes(r.phase));
  if (match) return match;
  const current = rounds.find((r) => r.phase !== 'done') ?? rounds[0];
  if (!current) throw noRound();
  throw wrongPhase(current.phase, phases);
}

type Answer = Reply | Reply[] | undefined;

/**
 * A command about "the round" in one of `phases`: with exactly one such round it runs `run`; when several are
 * (staff ran rounds alongside each other) it never guesses, but asks which one, naming each, with a button that
 * sends `choose(round)`. No round in those phases: `wrong_phase` naming where the current round is.
 */
export async function withRound(
  ctx: MemberContext,
  pulje: Pulje,
  phases: readonly Phase[],
  choose: (roundId: string) => ActionRef,
  run: (round: RoundView) => Promise<Answer> | Answer,
): Promise<Answer> {
  // Voting, the common case: the rounds voting now were usually read with the request already.
  const onlyVoting = phases.length === 1 && phases[0] === 'voting';
  if (onlyVoting) {
    const voting = await pulje.rounds.voting(actorOf(ctx), { groupId: ctx.conversation.groupId });
    if (voting.length === 1) return run(voting[0]!);
  }
  const matching = (await roundsOf(ctx, pulje)).filter((r) => phases.includes(r.phase));
  if (matching.length === 1) return run(matching[0]!);
  if (matching.length === 0) return run(await roundIn(ctx, pulje, phases));
  return reply.private({
    cards: [
      {
        title: ctx.t('flow.round.which_title'),
        body: ctx.t('flow.round.which', { count: matching.length }),
        controls: matching.map((r) => button(r.title, choose(r.id), 'primary')),
        tone: 'info',
      },
    ],
  });
}

/** Throws `wrong_phase` unless the round is in one of `phases` (for buttons on cards that may be stale). */
export function assertRoundPhase(round: RoundView, phases: readonly Phase[]): void {
  if (!phases.includes(round.phase)) throw wrongPhase(round.phase, phases);
}

export const button = (label: string, action: ActionRef, style: Button['style'] = 'secondary', disabled = false): Button => ({
  kind: 'button',
  action,
  label,
  style,
  disabled,
});

/** Flow-side paging: a card shows `size` items at a time with ◀ ▶ buttons that send `action` + page. */
export function pageItems<T>(items: readonly T[], size: number, page: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

export function pageButtons(tr: (key: MessageKey) => string, action: (page: number) => ActionRef, page: number, pages: number): Control[] {
  const out: Control[] = [];
  if (page > 0) out.push(button(tr('flow.page.previous'), action(page - 1)));
  if (page < pages - 1) out.push(button(tr('flow.page.next'), action(page + 1)));
  return out;
}

export const pageFooter = (tr: Translate, page: number, pages: number): string | undefined =>
  pages > 1 ? tr('flow.page.of', { page: page + 1, pages }) : undefined;

/** A short preview of a long text, cut at a word. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

export const capitalize = (s: string) => (s ? s[0]!.toLocaleUpperCase() + s.slice(1) : s);

/**
 * A round named by a button or form; one of another group (a card from another channel) is not found here.
 * Read once per event: preconditions and the handler share it.
 */
export function roundInGroup(ctx: MemberContext, pulje: Pulje, roundId: string): Promise<RoundView> {
  return ctx.memo(`round:${roundId}`, async () => {
    const round = await pulje.rounds.get(actorOf(ctx), { roundId });
    if (round.groupId !== ctx.conversation.groupId) throw new PuljeError('not_found', { what: { key: 'what.round' } });
    return round;
  });
}

/** Precondition: the control's round (its first argument) is this group's and in one of `phases`. */
export const roundArgIn =
  (pulje: Pulje, phases: readonly Phase[]) =>
  async (ctx: MemberContext, input: { args: readonly unknown[] }): Promise<void> =>
    assertRoundPhase(await roundInGroup(ctx, pulje, String(input.args[0])), phases);
