import type { Card, Field, MessageBody } from '../conversation/outbound.ts';
import { formatDateTime } from '../domain/values.ts';
import { describeEntry } from '../flows/log.ts';
import { translator, type Locale } from '../i18n/index.ts';
import type { Actor, Pulje } from '../usecases/index.ts';
import type { StoredSummary } from './render.ts';

const DECISION_KINDS = new Set(['phase', 'result', 'override', 'eligibility', 'moderation']);

/**
 * A staff member's digest of one group: decisions since the last digest (from the decision log), turnout of
 * rounds voting now, open items (deadlines ahead, ideas waiting for voting), and the themes of the latest
 * summary. Read through the use cases as that staff member, so it shows exactly what they may see.
 */
export async function digestBody(
  pulje: Pulje,
  actor: Actor,
  opts: { groupId: string; groupName: string; since: Date; locale: Locale; frequency: 'daily' | 'weekly' },
): Promise<MessageBody> {
  const tr = translator(opts.locale);
  const [entries, rounds, summary] = await Promise.all([
    pulje.log.read(actor, { groupId: opts.groupId, limit: 500 }),
    pulje.rounds.list(actor, { groupId: opts.groupId }),
    pulje.discussion.latestSummary(actor, { groupId: opts.groupId }),
  ]);
  const titles = new Map(rounds.map((r) => [r.id, r.title]));
  const decisions = entries
    .filter((e) => DECISION_KINDS.has(e.kind) && new Date(e.at) >= opts.since)
    .slice(-10)
    .map((e) => `• ${describeEntry(tr, opts.locale, e, e.roundId ? titles.get(e.roundId) : undefined).split('\n')[0]}`);
  const fields: Field[] = [];
  fields.push({ label: tr('staff.digest.decisions'), value: decisions.length ? decisions.join('\n') : tr('staff.digest.none') });
  const voting = rounds.filter((r) => r.phase === 'voting');
  const turnout: string[] = [];
  for (const r of voting) {
    const t = await pulje.ballots.turnout(actor, { roundId: r.id });
    turnout.push(`• ${tr('staff.digest.turnout', { round: r.title, ballots: t.ballots, eligible: t.eligibleVoters })}`);
  }
  if (turnout.length) fields.push({ label: tr('staff.digest.turnout_title'), value: turnout.join('\n') });
  const open: string[] = [];
  for (const r of rounds) {
    if (r.phase === 'voting' && r.votingDeadline)
      open.push(
        `• ${tr('staff.digest.voting_until', { round: r.title, deadline: formatDateTime(new Date(r.votingDeadline), opts.locale) })}`,
      );
    else if (r.phase === 'ideas')
      open.push(
        `• ${tr(r.ideasDeadline ? 'staff.digest.ideas_until' : 'staff.digest.ideas_open', {
          round: r.title,
          deadline: r.ideasDeadline ? formatDateTime(new Date(r.ideasDeadline), opts.locale) : '',
        })}`,
      );
    else if (r.phase === 'draft') open.push(`• ${tr('staff.digest.draft', { round: r.title })}`);
  }
  fields.push({ label: tr('staff.digest.open'), value: open.length ? open.join('\n') : tr('staff.digest.none') });
  const stored = summary?.payload as StoredSummary | undefined;
  if (stored?.themes?.length) {
    fields.push({
      label: tr('staff.digest.summary', { at: formatDateTime(new Date(summary!.at), opts.locale) }),
      value: stored.themes.map((t) => `• ${t}`).join('\n'),
    });
  }
  const card: Card = {
    title: tr(opts.frequency === 'daily' ? 'staff.digest.title_daily' : 'staff.digest.title_weekly', { group: opts.groupName }),
    fields,
    footer: tr('staff.digest.footer'),
    tone: 'neutral',
  };
  return { cards: [card] };
}
