import { afterEach, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { staffJobs } from '../../src/staff/jobs.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import type { StoredMessage } from '../support/slack/index.ts';
import { last, people, readable, slackWorld, type SlackWorld } from './harness.ts';

const da = translator('da');
let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});
const hasButtons = (m: StoredMessage) => JSON.stringify(m.blocks ?? []).includes('"type":"button"');

/** Staff open a round for ideas (a public card with "Kom med en idé"), one idea comes in, voting opens ("Stem"). */
async function toVoting(world: SlackWorld) {
  const p = people(world);
  const [ida, kari, admin] = (['ida', 'kari', 'admin'] as const).map((n) => world.user(n)) as [string, string, string];
  await p.command(admin, `kobl Klubben <!subteam^${world.staffGroup()}|@paedagoger>`);
  await p.command(kari, 'nyrunde');
  await p.submit(kari, { title: 'Sommerpuljen', amount: '10.000' });
  await p.click(kari, p.latest(kari, 'Sommerpuljen', { ephemeral: true }), da('flow.round.open_ideas'));
  const ideasCard = p.latest(ida, /Ny runde: Sommerpuljen/, { ephemeral: false });
  expect(hasButtons(ideasCard)).toBe(true);
  await p.command(ida, 'foreslå 1500 Filmaften');
  await p.submit(ida, { title: 'Filmaften', description: 'Popcorn.', cost: '1.500' });
  await p.command(kari, 'openvoting');
  await p.click(kari, p.latest(kari, da('flow.confirm.voting_yes'), { ephemeral: true }), da('flow.confirm.voting_yes'));
  const votingCard = p.latest(ida, /Nu kan I stemme: Sommerpuljen/, { ephemeral: false });
  expect(hasButtons(votingCard)).toBe(true);
  const close = async () => {
    await p.command(kari, 'luk');
    await p.click(kari, p.latest(kari, da('flow.confirm.close_yes'), { ephemeral: true }), da('flow.confirm.close_yes'));
  };
  return { p, ida, ideasCard, votingCard, close };
}

describeEachEngine('Slack: public cards of a phase that is over lose their buttons', (db: () => TestDatabase) => {
  it('opening voting updates the ideas card, closing updates the voting card: text kept, buttons gone, a note why', async () => {
    w = await slackWorld(db());
    const { ideasCard, votingCard, close } = await toVoting(w);

    // chat.update on the app's own message, posted by an earlier event.
    expect(ideasCard.edits.map((e) => e.via)).toEqual(['chat.update']);
    expect(hasButtons(ideasCard)).toBe(false);
    expect(readable(ideasCard)).toMatch(/Ny runde: Sommerpuljen[\s\S]*10\.000 kr\. i puljen/);
    expect(readable(ideasCard)).toContain(da('flow.retire.ideas'));
    expect(hasButtons(votingCard)).toBe(true);

    await close();
    expect(hasButtons(votingCard)).toBe(false);
    expect(readable(votingCard)).toMatch(/Nu kan I stemme: Sommerpuljen/);
    expect(readable(votingCard)).toContain(da('flow.retire.voting'));
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(w.log.problems()).toEqual([]);
  });

  it('a kept card that was deleted (message_not_found) or is not the app’s (cant_update_message) is forgotten quietly', async () => {
    w = await slackWorld(db());
    const { p, ida, votingCard, close } = await toVoting(w);
    const kept = await db().prisma.publicCard.findFirstOrThrow({ where: { messageId: votingCard.ts } });
    await w.slack.userPosts({ channelId: p.general, userId: ida, text: 'Husk at stemme!', deliver: false });
    const theirs = last(w.slack.messages(p.general), (m) => m.via === 'user' && m.text === 'Husk at stemme!')!;
    await w.pulje.publicCards.keep({
      ref: { platform: 'slack', channelId: p.general, messageId: theirs.ts },
      workspace: w.slack.teamId,
      message: JSON.parse(kept.body),
    });
    // Someone deletes the voting card in Slack.
    votingCard.deleted = true;

    await close();
    const updates = w.slack.callsTo('chat.update');
    expect(updates.map((c) => [c.args.ts, c.response.error])).toEqual(
      expect.arrayContaining([
        [votingCard.ts, 'message_not_found'],
        [theirs.ts, 'cant_update_message'],
      ]),
    );
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(theirs.edits).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('voting closed by its deadline (the scheduler, no event): the voting card loses its buttons too', async () => {
    w = await slackWorld(db());
    const { votingCard } = await toVoting(w);
    await db().prisma.round.updateMany({ data: { votingDeadline: new Date(Date.now() - 60_000) } });
    const notifier = createNotifier([w.adapter.notices], w.pulje.notices, w.log.logger);
    const job = staffJobs({ pulje: w.pulje, notifier }).find((j) => j.name === 'deadlines')!;
    expect(await job.run(new Date())).toEqual({ closed: 1 });
    expect(hasButtons(votingCard)).toBe(false);
    expect(readable(votingCard)).toMatch(/Nu kan I stemme: Sommerpuljen/);
    expect(readable(votingCard)).toContain(da('flow.retire.voting'));
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(w.log.problems()).toEqual([]);
  });
});
