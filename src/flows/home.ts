import type { Card } from '../conversation/outbound.ts';
import { STAFF } from '../domain/roles.ts';
import { t, type Locale, type MessageKey } from '../i18n/index.ts';
import type { Pulje } from '../usecases/index.ts';

/** Decisions shown as "recent": those of the last two weeks. */
const RECENT_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * A person's overview across their groups, for a surface that shows one on its own (Slack's App Home); someone Pulje does not know (null) is told how to start: per group,
 * the current round and the person's next step; for staff what waits for them (ideas to look through, a vote to
 * close) and how many decisions were made lately. Read-only: nothing here changes anything.
 */
export async function homeCards(pulje: Pulje, personId: string | null, locale: Locale, now: Date = new Date()): Promise<Card[]> {
  const actor = { personId: personId ?? '' };
  const groups = personId ? await pulje.setup.groups(actor) : [];
  if (!groups.length) return [{ title: t(locale, 'flow.home.title'), body: t(locale, 'flow.home.none') }];
  return Promise.all(
    groups.map(async ({ group, role }): Promise<Card> => {
      const staff = STAFF.includes(role);
      const [round] = await pulje.rounds.list(actor, { groupId: group.id });
      if (!round || round.phase === 'done') return { title: group.name, body: t(locale, 'flow.home.no_round') };
      const lines = [t(locale, 'flow.home.round', { round: round.title, phase: t(locale, `phase.${round.phase}` as MessageKey) })];
      if (staff) {
        if (round.phase === 'draft') lines.push(t(locale, 'flow.home.staff.draft'));
        else if (round.phase === 'ideas') {
          const ideas = await pulje.proposals.list(actor, { roundId: round.id });
          lines.push(t(locale, 'flow.home.staff.ideas', { count: ideas.length }));
        } else if (round.phase === 'voting') lines.push(t(locale, 'flow.home.staff.voting'));
        else lines.push(t(locale, 'flow.home.staff.other'));
        const decisions = await pulje.decisions.list(actor, { roundId: round.id });
        const recent = decisions.filter((d) => now.getTime() - Date.parse(d.at) < RECENT_MS).length;
        if (recent) lines.push(t(locale, 'flow.home.decisions', { count: recent }));
      } else if (round.phase === 'ideas') lines.push(t(locale, 'flow.home.youth.ideas'));
      else if (round.phase === 'voting') {
        const own = await pulje.ballots.mine(actor, { roundId: round.id });
        lines.push(t(locale, own ? 'flow.home.youth.voted' : 'flow.home.youth.voting'));
      } else if (round.phase === 'decided' || round.phase === 'implementing') lines.push(t(locale, 'flow.home.youth.decided'));
      else lines.push(t(locale, 'flow.home.youth.other'));
      return { title: group.name, body: lines.join('\n'), tone: staff ? 'info' : 'neutral' };
    }),
  );
}
