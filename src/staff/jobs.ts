import type { Card, MessageBody } from '../conversation/outbound.ts';
import { type Logger, silentLogger } from '../conversation/ports.ts';
import { formatDateTime } from '../domain/values.ts';
import { resultCard } from '../flows/results.ts';
import { phaseScope } from '../flows/rounds.ts';
import { sayCard } from '../flows/say.ts';
import { translator } from '../i18n/index.ts';
import type { Job } from '../scheduler/scheduler.ts';
import type { Pulje } from '../usecases/index.ts';
import { digestBody } from './digest.ts';
import type { Notifier } from './notifier.ts';

export interface StaffJobsDeps {
  pulje: Pulje;
  notifier: Notifier;
  log?: Logger;
}

const DAY = 86_400_000;

/** A person-only control: works in a DM or the web room, wherever the reminder lands (no group chat place needed). */
export const remindAction = {
  stop: (groupId: string) => ({ flow: 'remind', verb: 'stop', args: [groupId] }),
  start: (groupId: string) => ({ flow: 'remind', verb: 'start', args: [groupId] }),
};

/** The gentle reminder: once, before the deadline, with a one-tap opt-out. */
export function reminderBody(r: { roundTitle: string; votingDeadline: Date; groupId: string; locale: 'da' | 'en' }): MessageBody {
  const tr = translator(r.locale);
  const card: Card = {
    title: tr('staff.remind.title', { round: r.roundTitle }),
    body: tr('staff.remind.body', { deadline: formatDateTime(r.votingDeadline, r.locale) }),
    controls: [{ kind: 'button', action: remindAction.stop(r.groupId), label: tr('staff.remind.stop'), style: 'secondary' }],
    tone: 'info',
  };
  return { cards: [card] };
}

/** How a claimed notice to one person went, as kept ('unreachable': no surface has them). */
type KeptOutcome = 'sent' | 'closed' | 'failed' | 'unreachable';

/**
 * Each due notice to one person, once: claimed first (never sent twice, even if the run is taken over), sent
 * through the notifier, and how it went kept.
 */
async function sendEach<T extends { personId: string; groupId: string }>(
  notifier: Notifier,
  due: readonly T[],
  steps: NoInfer<{ claim(d: T): Promise<boolean>; body(d: T): MessageBody; record(d: T, outcome: KeptOutcome): Promise<void> }>,
): Promise<{ sent: number; undelivered: number }> {
  let sent = 0;
  let undelivered = 0;
  for (const d of due) {
    if (!(await steps.claim(d))) continue;
    const outcome = await notifier.notify(d.personId, d.groupId, steps.body(d));
    await steps.record(d, outcome === 'unknown' ? 'unreachable' : outcome);
    if (outcome === 'sent') sent++;
    else undelivered++;
  }
  return { sent, undelivered };
}

/**
 * The staff side's scheduled jobs (src/scheduler runs each slot once across processes):
 * - `deadlines` every minute: voting past its deadline closes and the result is posted in the group's chat places;
 * - `reminders` every ten minutes: the one reminder to young people who have not voted, before the deadline;
 * - `say` every ten minutes (offset by five): "did you have a real say?" to each young voter once after a result;
 * - `digest-daily` 08:00 and `digest-weekly` Mondays 08:00: digests to staff who follow a group;
 * - `purge` 03:30: discussion text (and kept summaries) past the summary window, job rows older than 60 days;
 * - `retention` 03:45: web chat text past the window, crisis notes unlinked from their person, pseudonyms for
 *   people inactive for PULJE_INACTIVE_MONTHS, used or expired /mydata links, audit entries past PULJE_AUDIT_MONTHS.
 */
export function staffJobs(deps: StaffJobsDeps): Job[] {
  const { pulje, notifier } = deps;
  const log = deps.log ?? silentLogger;
  const digest = (frequency: 'daily' | 'weekly') => async (slot: Date) => {
    let sent = 0;
    let skipped = 0;
    for (const sub of await pulje.digests.subscribers(frequency)) {
      // Compare-and-set first: a slot is never sent twice to anyone, even if this run is taken over.
      if (!(await pulje.digests.claimSlot(sub.id, slot))) {
        skipped++;
        continue;
      }
      const since = sub.lastSlot ?? new Date(slot.getTime() - (frequency === 'daily' ? DAY : 7 * DAY));
      const body = await digestBody(
        pulje,
        { personId: sub.personId },
        { groupId: sub.groupId, groupName: sub.groupName, since, locale: sub.locale, frequency },
      );
      const outcome = await notifier.notify(sub.personId, sub.groupId, body);
      if (outcome === 'sent') sent++;
      else log.warn({ personId: sub.personId, groupId: sub.groupId, outcome }, 'digest: could not be delivered');
    }
    return { sent, skipped };
  };
  return [
    {
      name: 'deadlines',
      cron: '* * * * *',
      leaseMs: 2 * 60_000,
      async run() {
        const closed = await pulje.deadlines.closeDue();
        for (const { round, result } of closed) {
          // Unsent ballots are of no use now, and as private as sent ones.
          await pulje.drafts.removeRound(round.id);
          const tr = translator(result.locale);
          const card = resultCard(result.locale, round, result);
          await notifier.announce(round.groupId, {
            text: tr('staff.deadline.closed', { round: round.title }),
            cards: [card],
          });
          // As when staff close: the voting announcement's Stem no longer applies.
          await notifier.retire(round.groupId, phaseScope(round.id, 'voting'), tr('flow.retire.voting'));
        }
        return { closed: closed.length };
      },
    },
    {
      name: 'reminders',
      cron: '*/10 * * * *',
      run: async () =>
        sendEach(notifier, await pulje.reminders.due(), {
          claim: (d) => pulje.reminders.claim(d.roundId, d.personId),
          body: reminderBody,
          record: (d, outcome) => pulje.reminders.record(d.roundId, d.personId, outcome),
        }),
    },
    {
      name: 'say',
      cron: '5-59/10 * * * *',
      run: async () =>
        sendEach(notifier, await pulje.voice.invitesDue(), {
          claim: (d) => pulje.voice.claimInvite(d.roundId, d.personId),
          body: (d) => ({ cards: [sayCard(d.locale, d.roundId, d.roundTitle)] }),
          record: (d, outcome) => pulje.voice.recordInvite(d.roundId, d.personId, outcome),
        }),
    },
    { name: 'digest-daily', cron: '0 8 * * *', run: digest('daily') },
    { name: 'digest-weekly', cron: '0 8 * * 1', run: digest('weekly') },
    {
      name: 'purge',
      cron: '30 3 * * *',
      async run(slot) {
        const discussion = await pulje.discussion.purge();
        const jobRuns = await pulje.jobRuns.prune(new Date(slot.getTime() - 60 * DAY));
        return { ...discussion, jobRuns };
      },
    },
    {
      name: 'retention',
      cron: '45 3 * * *',
      async run() {
        const report = await pulje.retention.run();
        log.info({ ...report }, 'retention: done');
        return report;
      },
    },
  ];
}
