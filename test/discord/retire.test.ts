import { expect, it } from 'vitest';
import { discordNotices } from '../../adapters/discord/index.ts';
import { staffJobs } from '../../src/staff/jobs.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { discordText } from '../../adapters/discord/texts.ts';
import { ManualClock, type InteractionRecord, type StoredMessage, type UserObject } from '../support/discord/index.ts';
import { button, buttons, discordWorld, people, publicAnswer, readable, unescapeDiscord, type World } from './harness.ts';

const da = translator('da');
const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/** Staff open a round for ideas (a public card with "Kom med en idé"), one idea comes in, voting opens ("Stem"). */
async function toVoting(w: World) {
  const p = people(w);
  const created = await p.submit(await p.command(w.pedagogue, 'newround'), { title: 'Sommerpuljen', amount: '10.000' });
  const ideasCard = publicAnswer(await p.click(w.pedagogue, created.original!, da('flow.round.open_ideas')));
  expect(buttons(ideasCard).map((b) => b.label)).toContain(da('flow.proposal.new'));
  await p.submit(await p.command(w.youth[0]!, 'propose'), { title: 'Skatepark', description: 'En rampe.', cost: '4.000' });
  const confirm = await p.command(w.pedagogue, 'openvoting');
  const votingCard = publicAnswer(await p.click(w.pedagogue, confirm.original!, da('flow.confirm.voting_yes')));
  expect(buttons(votingCard).map((b) => b.label)).toContain(da('flow.vote.button'));
  return { p, ideasCard, votingCard };
}

const close = async (w: World, p: ReturnType<typeof people>) =>
  p.click(w.pedagogue, (await p.command(w.pedagogue, 'close')).original!, da('flow.confirm.close_yes'));

describeEachEngine('Discord: public cards of a phase that is over lose their buttons', (db) => {
  const world = () =>
    discordWorld(db(), {
      flows: true,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000, expiresMs: 60_000 },
    });

  it('opening voting edits the ideas card, closing edits the voting card: text kept, buttons gone, a note why', async () => {
    const w = await world();
    const { p, ideasCard, votingCard } = await toVoting(w);

    // The round card's "Kom med en idé" no longer applies once voting is open: the bot edited its own message
    // (the follow-up of an earlier interaction) by channel and id.
    expect(ideasCard.editedAt).not.toBeNull();
    expect(buttons(ideasCard)).toEqual([]);
    expect(text(ideasCard)).toMatch(/Ny runde: Sommerpuljen[\s\S]*10\.000 kr\. i puljen/);
    expect(text(ideasCard)).toContain(da('flow.retire.ideas'));
    expect(
      w.discord.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${ideasCard.channelId}/messages/${ideasCard.id}`),
    ).toHaveLength(1);
    expect(buttons(votingCard).length).toBeGreaterThan(0);

    await p.click(w.youth[0]!, votingCard, da('flow.vote.button'));
    await close(w, p);
    expect(buttons(votingCard)).toEqual([]);
    expect(text(votingCard)).toMatch(/Nu kan I stemme: Sommerpuljen/);
    expect(text(votingCard)).toContain(da('flow.retire.voting'));
    // Nothing is left to retire, and nothing went wrong on the way.
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(w.log.problems()).toEqual([]);
  });

  it('a kept card that was deleted (10008) or is not the bot’s own (50005) is forgotten quietly, the message left as it is', async () => {
    const w = await world();
    const { p, votingCard } = await toVoting(w);
    // A moderator deletes the voting card; and a reference is kept to someone else's message, which Discord
    // refuses to let the bot edit.
    const kept = await db().prisma.publicCard.findFirstOrThrow({ where: { messageId: votingCard.id } });
    const other = w.discord.sendUserMessage({ content: 'Husk at stemme!', user: w.youth[1]!, channelId: w.bound.id });
    await w.pulje.publicCards.keep({
      ref: { platform: 'discord', channelId: w.bound.id, messageId: other.id },
      workspace: '',
      message: JSON.parse(kept.body),
    });
    w.discord.deleteMessage(votingCard.id);
    expect(await db().prisma.publicCard.count()).toBe(2);

    await close(w, p);
    const patched = w.discord.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith(`/channels/${w.bound.id}/messages/`));
    // Both were tried once; Discord refused each with its code, and neither is kept any more.
    expect(patched.map((r) => [r.path.split('/').at(-1), r.status])).toEqual(
      expect.arrayContaining([
        [votingCard.id, 404],
        [other.id, 403],
      ]),
    );
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(other.content).toBe('Husk at stemme!');
    expect(other.editedAt).toBeNull();
    expect(w.log.problems()).toEqual([]);
  });

  it('a kept card in a channel the bot may no longer see (50001) stays kept, and the person closing hears what to ask for', async () => {
    const w = await world();
    const { p, votingCard } = await toVoting(w);
    // The bot's own card in #andet, which an admin has since hidden from the bot.
    const hidden = w.discord.store.newMessage({ channelId: w.other.id, body: { content: 'Nu kan I stemme' }, via: 'channel' });
    const kept = await db().prisma.publicCard.findFirstOrThrow({ where: { messageId: votingCard.id } });
    await w.pulje.publicCards.keep({
      ref: { platform: 'discord', channelId: w.other.id, messageId: hidden.id },
      workspace: '',
      message: JSON.parse(kept.body),
    });
    w.discord.denyBotPermissions(w.other.id, ['ViewChannel']);

    const closed = await close(w, p);
    expect(buttons(votingCard)).toEqual([]);
    expect(hidden.editedAt).toBeNull();
    expect((await db().prisma.publicCard.findMany()).map((c) => c.messageId)).toEqual([hidden.id]);
    const told = [closed.original, ...closed.followups].filter((m) => m?.ephemeral).map((m) => text(m!));
    expect(told).toContain(
      discordText('da', 'discord.missing_permissions', {
        action: 'edit',
        channel: 'andet',
        count: 1,
        permissions: { list: [discordText('da', 'discord.permission.ViewChannel')], join: 'and' },
      }),
    );
    expect(w.log.problems()).toEqual([expect.stringContaining('the bot lacks a permission in a channel')]);
  });

  it('voting closed by its deadline (the scheduler, no interaction): the voting card loses its buttons too', async () => {
    const w = await world();
    const { votingCard } = await toVoting(w);
    await db().prisma.round.updateMany({ data: { votingDeadline: new Date(Date.now() - 60_000) } });
    const notices = discordNotices({ token: w.discord.token, api: w.discord.apiBase, pulje: w.pulje, log: w.log.logger });
    const job = staffJobs({ pulje: w.pulje, notifier: createNotifier([notices], w.pulje.notices, w.log.logger) }).find(
      (j) => j.name === 'deadlines',
    )!;
    expect(await job.run(new Date())).toEqual({ closed: 1 });
    expect(buttons(votingCard)).toEqual([]);
    expect(text(votingCard)).toMatch(/Nu kan I stemme: Sommerpuljen/);
    expect(text(votingCard)).toContain(da('flow.retire.voting'));
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(w.log.problems()).toEqual([]);
  });
});
