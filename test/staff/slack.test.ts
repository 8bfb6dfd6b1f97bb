import { afterEach, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ideasRound } from '../support/rounds.ts';
import type { StoredMessage } from '../support/slack/index.ts';
import { button, readable, slackWorld, type SlackWorld } from '../slack/harness.ts';

const da = translator('da');
let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

type Name = 'ida' | 'noah' | 'kari';

/**
 * The group on Slack through the real adapter (Bolt in HTTP mode on the web server, against the stand-in):
 * #general bound with the pedagogues' user group as staff; Ida and Noah young people, Kari staff.
 */
async function staffOnSlack(world: SlackWorld) {
  const general = world.channel('general');
  const admin = { personId: world.adminPersonId };
  await world.pulje.setup.bindConversation(admin, {
    groupId: world.groupId,
    platform: 'slack',
    channelId: general,
    staffRoleId: world.staffGroup(),
  });
  for (const [name, display, role] of [
    ['ida', 'Ida', 'youth'],
    ['noah', 'Noah', 'youth'],
    ['kari', 'Kari', 'staff'],
  ] as const)
    await world.pulje.setup.addMember(admin, {
      groupId: world.groupId,
      role,
      platform: 'slack',
      externalId: world.user(name),
      displayName: display,
    });
  /** Waits until the adapter has finished with what was sent (its settled report). */
  const step = async <T>(send: () => Promise<T>): Promise<T> => {
    const n = world.reports.length + 1;
    const d = await send();
    await world.settled(n);
    return d;
  };
  const say = (who: Name, text: string, threadTs?: string) =>
    step(() => world.slack.userPosts({ channelId: general, userId: world.user(who), text, ...(threadTs ? { threadTs } : {}) }));
  const command = (who: Name, text: string) =>
    step(() => world.slack.sendSlashCommand({ userId: world.user(who), text, channelId: general }));
  /** What the bot posted in the channel for everyone (not ephemeral). */
  const publicPosts = () => world.slack.messages(general).filter((m) => m.via !== 'user' && m.ephemeralFor === undefined);
  /** Messages in a person's DM with the bot. */
  const dmsTo = (who: Name): StoredMessage[] => {
    const opened = world.slack
      .callsTo('conversations.open')
      .filter((c) => c.args.users === world.user(who) && c.response.ok)
      .map((c) => (c.response.channel as { id: string }).id);
    return [...new Set(opened)].flatMap((id) => world.slack.messages(id));
  };
  return { general, say, command, step, publicPosts, dmsTo };
}

const LINES: Array<[Name, string]> = [
  ['ida', 'Vi vil have nye bænke'],
  ['noah', 'Bænke er en god idé'],
  ['kari', 'Hvor skal de stå?'],
  ['ida', 'Ved skaterbanen'],
  ['kari', 'Hvad koster de?'],
  ['noah', 'Måske 5000 kr'],
  ['ida', 'Hvem maler bænkene?'],
  ['kari', 'Husk tilladelsen'],
  ['noah', 'ok'],
  ['kari', 'Og budgettet'],
];

describeEachEngine('staff side on Slack, through the real adapter', (db) => {
  it('messages in the bound channel are captured with their permalinks; the pedagogue who dominates gets one nudge by DM per window; /pulje resume answers ephemerally with cited, linked points', async () => {
    w = await slackWorld(db());
    const s = await staffOnSlack(w);
    for (const [who, text] of LINES) await s.say(who, text);
    // A channel that is not bound is not Pulje's.
    await s.step(() => w!.slack.userPosts({ channelId: w!.channel('random'), userId: w!.user('ida'), text: 'andet snak' }));

    const rows = await db().prisma.discussionMessage.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(rows.map((r) => [r.role, r.text])).toEqual(LINES.map(([who, text]) => [who === 'kari' ? 'staff' : 'youth', text]));
    // Each with Slack's permalink (chat.getPermalink), the one for that message's ts.
    const said = w.slack.messages(s.general).filter((m) => m.via === 'user');
    expect(rows.map((r) => r.link)).toEqual(
      said.map((m) => `https://pulje-test.slack.com/archives/${s.general}/p${m.ts.replace('.', '')}`),
    );
    expect(w.slack.callsTo('chat.getPermalink').every((c) => c.response.ok)).toBe(true);

    // Kari wrote 4 of 10: one nudge, by DM (a message event has nothing to answer privately through).
    const nudges = () => s.dmsTo('kari').filter((m) => readable(m).includes('Giv ordet videre'));
    expect(nudges()).toHaveLength(1);
    expect(readable(nudges()[0]!)).toContain('Du har skrevet 4 af de seneste 10 beskeder her (40 %)');
    // Still past the share, within the same window: no second nudge.
    await s.say('kari', 'Og hvem bestiller dem?');
    expect(await db().prisma.discussionMessage.count()).toBe(11);
    expect(nudges()).toHaveLength(1);
    expect(await db().prisma.staffNudge.count()).toBe(1);
    // Nobody else was nudged, and nothing about it was posted in the channel.
    expect([...s.dmsTo('ida'), ...s.dmsTo('noah')]).toEqual([]);
    expect(s.publicPosts()).toEqual([]);

    // /pulje resume (the Danish name of /summary): an ephemeral answer for Kari, points citing the messages by link.
    const summary = await s.command('kari', 'resume');
    const answer = readable(summary.ack as never);
    expect(summary.ack).toMatchObject({ response_type: 'ephemeral' });
    expect(answer).toContain('Resumé af diskussionen');
    expect(answer).toContain('*Temaer*\n• Bænke [1][2][7]');
    // Each cited message is listed with its permalink.
    const all = await db().prisma.discussionMessage.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const lines = answer.split('\n');
    for (const n of [1, 2, 3, 5, 7, 11]) expect(lines.find((l) => l.startsWith(`[${n}] `))?.endsWith(` ${all[n - 1]!.link}`)).toBe(true);
    expect(s.publicPosts()).toEqual([]);
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('/pulje sparring <situation> answers only the pedagogue (ephemeral); nothing is posted in the channel or kept', async () => {
    w = await slackWorld(db());
    const s = await staffOnSlack(w);
    const d = await s.command('kari', 'sparring Gruppen vil bruge alle pengene på en PlayStation');
    expect(d.ack).toMatchObject({ response_type: 'ephemeral' });
    const answer = readable(d.ack as never);
    expect(answer).toContain('Hvad er det ved den idé, der gør den vigtig for jer?');
    expect(answer).toContain('Fra Puljes spørgsmålsbank.');
    expect(s.publicPosts()).toEqual([]);
    expect(w.slack.messages(s.general).map((m) => m.ephemeralFor)).toEqual([w.user('kari')]);
    expect(w.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(await db().prisma.discussionMessage.count()).toBe(0);
    // Without a situation: the form, in a modal.
    await s.command('kari', 'sparring');
    expect(w.slack.views({ userId: w.user('kari'), type: 'modal' }).filter((v) => v.open)).toHaveLength(1);
    // Young people are refused, privately.
    const refused = await s.command('ida', 'sparring hjælp');
    expect(refused.ack).toMatchObject({ response_type: 'ephemeral' });
    expect(readable(refused.ack as never)).toMatch(/kun medarbejdere/);
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('a reply in a shared idea’s thread (thread_ts) belongs to that idea: /pulje resume #1 includes it, with its thread permalink', async () => {
    w = await slackWorld(db());
    const s = await staffOnSlack(w);
    // A round with an idea, shared for discussion: the card gets a thread named "#1 Skatepark".
    const round = await ideasRound(w.pulje, { personId: w.adminPersonId }, w.groupId);
    const ida = await db().prisma.identity.findFirstOrThrow({ where: { platform: 'slack', externalId: w.user('ida') } });
    await w.pulje.proposals.submit(
      { personId: ida.personId },
      { roundId: round.id, title: 'Skatepark', description: 'En rampe', cost: 400_000 },
    );
    await s.command('noah', 'forslag 1');
    const card = [...w.slack.messages(s.general)].reverse().find((m) => m.ephemeralFor === w!.user('noah'))!;
    await s.step(() =>
      w!.slack.sendBlockAction({
        userId: w!.user('noah'),
        channelId: s.general,
        messageTs: card.ts,
        actionId: button(card.blocks, da('flow.proposal.discuss')),
      }),
    );
    const shared = s.publicPosts().find((m) => readable(m).includes('#1 Skatepark'))!;
    expect(shared).toBeDefined();
    await w.slack.waitForMessage(s.general, (m) => m.threadTs === shared.ts);

    // Replies in its thread that do not say "#1", and a message elsewhere about something else.
    const replies = ['Rampen skal være stor', 'En rampe med halfpipe, enig', 'Hvor høj skal rampen være?'];
    for (const [i, text] of replies.entries()) await s.say(i % 2 ? 'noah' : 'ida', text, shared.ts);
    await s.say('ida', 'Hvornår er der fodbold?');
    const rows = await db().prisma.discussionMessage.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(rows.map((r) => [r.text, r.threadId, r.proposalNumber])).toEqual([
      ...replies.map((text) => [text, shared.ts, 1]),
      ['Hvornår er der fodbold?', null, null],
    ]);
    // A reply's permalink is Slack's thread form.
    expect(rows[0]!.link).toMatch(
      new RegExp(`^https://pulje-test\\.slack\\.com/archives/${s.general}/p\\d+\\?thread_ts=${shared.ts}&cid=${s.general}$`),
    );

    const summary = await s.command('kari', 'resume #1');
    expect(summary.ack).toMatchObject({ response_type: 'ephemeral' });
    const answer = readable(summary.ack as never);
    expect(answer).toContain('#1');
    expect(answer).toContain('Diskussionen om idé #1: 3 beskeder');
    expect(answer).toContain('*Temaer*\n• Rampen [1][2][3]');
    for (const r of rows.slice(0, 3)) expect(answer).toContain(r.link!);
    expect(answer).not.toContain(rows[3]!.link!);
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });
});
