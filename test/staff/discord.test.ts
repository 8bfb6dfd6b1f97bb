import { expect, it } from 'vitest';
import { discordNotices } from '../../adapters/discord/index.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { reminderBody } from '../../src/staff/jobs.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startOpenAIStandIn } from '../support/openai/index.ts';
import { standInModel } from './harness.ts';
import { ManualClock, type InteractionRecord, type StoredMessage, type UserObject } from '../support/discord/index.ts';
import { button, discordWorld, readable, unescapeDiscord, type World } from '../discord/harness.ts';

const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/** Resolves when the router has finished with `count` message events (an event to wait on, not a timer). */
function messagesHandled(w: { router: World['router'] }) {
  let seen = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const original = w.router.handle.bind(w.router);
  w.router.handle = async (event, opts) => {
    const outcome = await original(event, opts);
    if (event.kind === 'message') {
      seen++;
      for (const waiter of waiters.filter((x) => seen >= x.count)) waiter.resolve();
    }
    return outcome;
  };
  return (count: number) => new Promise<void>((resolve) => (seen >= count ? resolve() : waiters.push({ count, resolve })));
}

async function members(w: World, users: Array<[UserObject, string, 'youth' | 'staff']>) {
  for (const [user, name, role] of users)
    await w.pulje.setup.addMember(
      { personId: w.adminPersonId },
      { groupId: w.groupId, role, platform: 'discord', externalId: user.id, displayName: name },
    );
}

describeEachEngine('staff side on Discord', (db) => {
  it('with DISCORD_MESSAGE_CONTENT: messages in the bound channel are captured with their jump links, and the nudge goes by DM', async () => {
    const w = await discordWorld(db(), {
      flows: true,
      messageContent: true,
      // The Message Content intent switched on for the app in the Developer Portal.
      standIn: { clock: new ManualClock(), privilegedIntents: ['MessageContent'] },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    const handled = messagesHandled(w);
    const [aya, bo] = w.youth as [UserObject, UserObject];
    await members(w, [
      [aya, 'Aya', 'youth'],
      [bo, 'Bo', 'youth'],
      [w.pedagogue, 'Pia Pædagog', 'staff'],
    ]);
    const lines: Array<[UserObject, string]> = [
      [aya, 'Vi vil have nye bænke'],
      [bo, 'Bænke er en god idé'],
      [w.pedagogue, 'Hvor skal de stå?'],
      [aya, 'Ved skaterbanen'],
      [w.pedagogue, 'Hvad koster de?'],
      [bo, 'Måske 5000 kr'],
      [aya, 'Hvem maler bænkene?'],
      [w.pedagogue, 'Husk tilladelsen'],
      [bo, 'ok'],
      [w.pedagogue, 'Og budgettet'],
    ];
    for (const [user, content] of lines) w.discord.sendUserMessage({ content, user, channelId: w.bound.id });
    // A message in a channel that is not bound is not Pulje's.
    w.discord.sendUserMessage({ content: 'andet snak', user: aya, channelId: w.other.id });
    await handled(lines.length + 1);
    // A channel's messages are handled in the order Discord sent them.
    const rows = await db().prisma.discussionMessage.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(rows.map((r) => r.text)).toEqual(lines.map(([, c]) => c));
    const first = rows[0]!;
    expect(first.link).toMatch(new RegExp(`^https://discord\\.com/channels/${w.guild.id}/${w.bound.id}/\\d+$`));
    // The pedagogue wrote 4 of 10: one nudge, by DM (a message event has no interaction to answer privately).
    await w.discord.waitForRequest(
      (r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && JSON.stringify(r.body).includes('Giv ordet videre'),
      'the nudge by DM',
    );
    const dms = w.discord.dmsTo(w.pedagogue.id);
    expect(dms).toHaveLength(1);
    expect(text(dms[0]!)).toContain('Du har skrevet 4 af de seneste 10 beskeder her (40 %)');

    // /summary cites the messages with their links.
    const rec: InteractionRecord = w.discord.sendSlashCommand({ name: 'summary', user: w.pedagogue });
    await w.settled(rec.id);
    const answer = text(w.discord.interaction(rec.id).original!);
    expect(answer).toContain('Resumé af diskussionen');
    expect(answer).toContain(first.link!);
  });

  it('DISCORD_MESSAGE_CONTENT without the intent enabled in the portal: Discord refuses the connection, and start-up says so', async () => {
    await expect(discordWorld(db(), { flows: true, messageContent: true })).rejects.toThrow(/disallowed intents/i);
  });

  it('without it: nothing is read from the channel (only Pulje’s own interactions arrive)', async () => {
    const w = await discordWorld(db(), {
      flows: true,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    const [aya] = w.youth as [UserObject];
    await members(w, [[aya, 'Aya', 'youth']]);
    w.discord.sendUserMessage({ content: 'Vi vil have nye bænke', user: aya, channelId: w.bound.id });
    // Gateway events arrive in order: once this later command is answered, the message would have been too.
    const rec = w.discord.sendSlashCommand({ name: 'summary', user: aya });
    await w.settled(rec.id);
    expect(await db().prisma.discussionMessage.count()).toBe(0);
    expect(text(w.discord.interaction(rec.id).original!)).toContain('Der er ingen beskeder at opsummere');
  });

  it('/sparring answers the pedagogue ephemerally: offline from the question bank; nothing is posted or kept', async () => {
    const w = await discordWorld(db(), {
      flows: true,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    await members(w, [[w.pedagogue, 'Pia Pædagog', 'staff']]);
    const rec = w.discord.sendSlashCommand({
      name: 'sparring',
      user: w.pedagogue,
      options: { situation: 'Gruppen vil bruge alle pengene på en PlayStation' },
    });
    await w.settled(rec.id);
    const answer = w.discord.interaction(rec.id).original!;
    expect(answer.ephemeral).toBe(true);
    expect(text(answer)).toContain('Hvad er det ved den idé, der gør den vigtig for jer?');
    expect(text(answer)).toContain('Fra Puljes spørgsmålsbank.');
    // Nothing in the channel (only the ephemeral answer), and nothing captured.
    expect(w.discord.messages(w.bound.id).filter((m) => !m.ephemeral)).toEqual([]);
    expect(await db().prisma.discussionMessage.count()).toBe(0);
    // A young person does not even see the command (registered for staff only).
    const [aya] = w.youth as [UserObject];
    expect(() => w.discord.sendSlashCommand({ name: 'sparring', user: aya, options: { situation: 'hjælp' } })).toThrow(/not available/);
  });

  it('/sparring with the OpenAI stand-in configured: the model answers, from redacted text; still ephemeral', async () => {
    const model = await startOpenAIStandIn({
      script: [
        {
          reply: 'json',
          value: {
            questions: ['Hvad betyder spillet for jer?'],
            reflections: ['Læg mærke til din egen holdning.'],
            options: ['Lad dem undersøge andre muligheder.'],
          },
        },
      ],
    });
    try {
      const w = await discordWorld(db(), {
        flows: true,
        standIn: { clock: new ManualClock() },
        ack: { afterMs: 60_000, deadlineMs: 60_000 },
        staff: { model: standInModel(model) },
      });
      const [aya] = w.youth as [UserObject];
      await members(w, [
        [aya, 'Aya Hansen', 'youth'],
        [w.pedagogue, 'Pia Pædagog', 'staff'],
      ]);
      const rec = w.discord.sendSlashCommand({
        name: 'sparring',
        user: w.pedagogue,
        options: { situation: 'Aya Hansen (tlf. 40 50 60 70, aya@example.dk) vil bruge alle pengene på en PlayStation' },
      });
      await w.settled(rec.id);
      const answer = w.discord.interaction(rec.id).original!;
      expect(answer.ephemeral).toBe(true);
      expect(text(answer)).toContain('Hvad betyder spillet for jer?');
      expect(text(answer)).toContain('Foreslået af sprogmodellen');
      expect(model.chatRequests).toHaveLength(1);
      const sent = model.sentText();
      expect(sent).not.toMatch(/Aya|Hansen|40 50 60 70|aya@example\.dk/);
      expect(sent).toMatch(/Deltager [A-Z] \(tlf\. \[TELEFON\], \[EMAIL\]\) vil bruge alle pengene på en PlayStation/);
      expect(w.discord.messages(w.bound.id).filter((m) => !m.ephemeral)).toEqual([]);
    } finally {
      const left = model.takeErrors();
      await model.close();
      expect(left).toEqual([]);
    }
  });

  it('a reminder by DM keeps its opt-out button, and one tap in the DM opts out', async () => {
    const w = await discordWorld(db(), {
      flows: true,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    const [aya, bo] = w.youth as [UserObject, UserObject];
    w.discord.addUser(aya);
    w.discord.addUser(bo);
    await members(w, [
      [aya, 'Aya', 'youth'],
      [bo, 'Bo', 'youth'],
    ]);
    w.discord.setDmsClosed(bo.id);
    const notices = discordNotices({
      token: w.discord.token,
      api: w.discord.apiBase,
      pulje: w.pulje,
      dmPacing: { intervalMs: 10, retries: 3 },
    });
    const notifier = createNotifier([notices], w.pulje.notices);
    const personOf = async (user: UserObject) =>
      (await db().prisma.identity.findFirstOrThrow({ where: { platform: 'discord', externalId: user.id } })).personId;
    const body = reminderBody({
      roundTitle: 'Sommerpuljen',
      votingDeadline: new Date('2026-03-02T17:00:00Z'),
      groupId: w.groupId,
      locale: 'da',
    });
    expect(await notifier.notify(await personOf(aya), w.groupId, body)).toBe('sent');
    expect(await notifier.notify(await personOf(bo), w.groupId, body)).toBe('closed');
    const [dm] = w.discord.dmsTo(aya.id);
    expect(text(dm!)).toContain('Afstemningen om Sommerpuljen lukker snart');
    const click = w.discord.sendButton({
      customId: button(dm!, 'Ingen påmindelser'),
      message: dm!,
      user: aya,
      guildId: null,
      channelId: dm!.channelId,
    });
    await w.settled(click.id);
    expect(await w.pulje.reminders.optedOut({ personId: await personOf(aya) }, { groupId: w.groupId })).toBe(true);
    expect(text(w.discord.dmsTo(aya.id)[0]!)).toContain('du får ingen påmindelser fra denne gruppe');
    // A result posted in the bound channel at a deadline.
    expect(await notifier.announce(w.groupId, { text: 'Fristen er nået' })).toBe(1);
    expect(text(await w.discord.waitForMessage(w.bound.id, (m) => m.content.includes('Fristen')))).toBe('Fristen er nået');
  });
});
