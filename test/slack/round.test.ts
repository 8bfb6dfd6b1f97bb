import { afterEach, expect, it } from 'vitest';
import { forbidden, STAFF } from '../../src/domain/roles.ts';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import { last, people, readable, slackWorld, type SlackWorld } from './harness.ts';

const da = translator('da');
let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Sends something and waits until the adapter has finished with it. */
async function step<T>(world: SlackWorld, send: () => Promise<T>): Promise<T> {
  const n = world.reports.length + 1;
  const d = await send();
  await world.settled(n);
  return d;
}

async function playRound(world: SlackWorld, db: () => TestDatabase) {
  const { slack } = world;
  const p = people(world);
  const [ida, noah, kari, admin] = (['ida', 'noah', 'kari', 'admin'] as const).map((n) => world.user(n));

  // The workspace admin (known to Pulje from set-up) binds #general to the group, naming the pedagogues' user group.
  const bound = await p.command(admin!, `kobl Klubben <!subteam^${world.staffGroup()}|@paedagoger>`);
  expect(bound.status).toBe(200);
  expect(readable(p.latest(admin!, da('flow.bind.welcome_title', { group: 'Klubben' }), { ephemeral: false }))).toBeTruthy();
  expect(await db().prisma.conversation.findFirstOrThrow({ where: { platform: 'slack' } })).toMatchObject({
    channelId: p.general,
    staffRoleId: world.staffGroup(),
  });

  // Kari, in the user group, is staff the first time she uses Pulje: she creates the round in a modal.
  await p.command(kari!, 'nyrunde');
  await p.submit(kari!, { title: 'Sommerpuljen', amount: '10.000' });
  expect(await db().prisma.round.findFirstOrThrow()).toMatchObject({ title: 'Sommerpuljen', amount: 1_000_000, phase: 'draft' });
  const settings = p.latest(kari!, 'Sommerpuljen', { ephemeral: true });
  await p.click(kari!, settings, da('flow.round.open_ideas'));
  const announcement = p.latest(ida!, /Ny runde: Sommerpuljen[\s\S]*10\.000 kr\. i puljen/, { ephemeral: false });

  // A young person may not close anything: refused privately, nothing changes.
  const refusedClose = await p.command(ida!, 'luk');
  expect(readable(refusedClose.ack as never)).toBe(forbidden(STAFF).localize('da'));
  expect((await db().prisma.round.findFirstOrThrow()).phase).toBe('ideas');

  // Young people propose through modals: from the announcement's button, and with /pulje foreslå (prefilled).
  await p.click(ida!, announcement, da('flow.proposal.new'));
  await p.submit(ida!, { title: 'Skatepark', description: 'En rampe <!channel> <@U0PULJE01KARI> & mere', cost: '4.000' });
  expect(p.latest(ida!, da('flow.proposal.thanks', { ref: '#1' }), { ephemeral: true })).toBeTruthy();
  await p.command(noah!, 'foreslå 1500 Filmaften');
  const prefilled = last(slack.views({ userId: noah!, type: 'modal' }), (v) => v.open)!;
  expect(JSON.stringify(prefilled.view)).toContain('Filmaften');
  await p.submit(noah!, { title: 'Filmaften', description: 'Popcorn.', cost: '1.500' });
  // Someone's message in the channel becomes an idea through the message shortcut: its text is the title.
  const said = await slack.userPosts({ channelId: p.general, userId: noah!, text: 'Nye bænke', deliver: false });
  expect(said).toBeUndefined();
  const message = last(slack.messages(p.general), (m) => m.via === 'user' && m.text === 'Nye bænke')!;
  await step(world, () =>
    slack.sendMessageShortcut({ userId: noah!, callbackId: 'pulje_propose', channelId: p.general, messageTs: message.ts }),
  );
  expect(JSON.stringify(last(slack.views({ userId: noah!, type: 'modal' }), (v) => v.open)!.view)).toContain('Nye bænke');
  await p.submit(noah!, { title: 'Nye bænke', description: 'Til gården.', cost: '6.000' });
  // A shortcut Pulje does not know (an older manifest's) is acknowledged at once and does nothing.
  // (It reaches no flow, so there is no adapter report to wait for.)
  const unknown = await slack.sendMessageShortcut({ userId: noah!, callbackId: 'pulje_old', channelId: p.general, messageTs: message.ts });
  expect([unknown.status, unknown.late]).toEqual([200, false]);
  expect((await db().prisma.proposal.findMany({ orderBy: { number: 'asc' } })).map((x) => [x.number, x.title, x.cost])).toEqual([
    [1, 'Skatepark', 400_000],
    [2, 'Filmaften', 150_000],
    [3, 'Nye bænke', 600_000],
  ]);
  // A proposal brought up in the group: a public card, and its discussion in the card's thread.
  await p.command(noah!, 'forslag 1');
  await p.click(noah!, p.latest(noah!, da('flow.proposal.discuss'), { ephemeral: true }), da('flow.proposal.discuss'));
  const shared = p.latest(ida!, 'Skatepark', { ephemeral: false });
  const thread = await slack.waitForMessage(p.general, (m) => m.threadTs === shared.ts);
  expect(thread.text).toContain('#1 Skatepark');

  // A bad amount is shown inside the modal (response_action: errors), and nothing is stored.
  await p.command(noah!, 'foreslå');
  const refused = await p.submit(noah!, { title: 'Gratis is', description: 'Is.', cost: 'mange penge' });
  // Under the field that is wrong, with what to write instead.
  expect(refused.ack).toMatchObject({ response_action: 'errors', errors: { cost: expect.stringMatching(/kroner/) } });
  expect(await db().prisma.proposal.count()).toBe(3);

  // Voting opens after a confirmation, announced with a Vote button.
  await p.command(kari!, 'openvoting');
  await p.click(kari!, p.latest(kari!, da('flow.confirm.voting_yes'), { ephemeral: true }), da('flow.confirm.voting_yes'));
  const votingCard = p.latest(ida!, /Nu kan I stemme: Sommerpuljen/, { ephemeral: false });

  // Private ballots: ephemeral to the voter, each press replaces it in place; the receipt also comes by DM.
  const receipts: string[] = [];
  for (const [voter, numbers] of [
    [ida!, [1, 2]],
    [noah!, [1]],
  ] as const) {
    await p.click(voter, votingCard, da('flow.vote.button'));
    for (const n of numbers) await p.click(voter, p.latest(voter, da('flow.ballot.submit'), { ephemeral: true }), `#${n}`);
    const ballot = p.latest(voter, da('flow.ballot.submit'), { ephemeral: true });
    await p.click(voter, ballot, da('flow.ballot.submit'));
    const receipt = p.latest(voter, da('flow.receipt.cast_title'), { ephemeral: true });
    const person = await db().prisma.identity.findFirstOrThrow({ where: { platform: 'slack', externalId: voter } });
    const code = (await db().prisma.ballot.findFirstOrThrow({ where: { voterId: person.personId } })).receiptCode;
    expect(readable(receipt)).toContain(code);
    receipts.push(code);
  }
  const dms = slack.callsTo('conversations.open');
  expect(dms.length).toBeGreaterThanOrEqual(2);

  // Closing counts and publishes the explained result to everyone.
  await p.command(kari!, 'luk');
  await p.click(kari!, p.latest(kari!, da('flow.confirm.close_yes'), { ephemeral: true }), da('flow.confirm.close_yes'));
  const result = p.latest(ida!, 'Resultat: Sommerpuljen', { ephemeral: false });
  for (const line of ['2 af 2 stemte.', '✅ #1 Skatepark', '✅ #2 Filmaften', '❌ #3 Nye bænke']) expect(readable(result)).toContain(line);

  // "Hvad gjorde min stemme?" on the result: Ida's own explanation, for her only.
  await p.click(ida!, result, da('flow.mine.button'));
  const mine = last(slack.messages(p.general), (m) => m.ephemeralFor === ida);
  expect(readable(mine!)).toContain('#1');

  // Nothing public carries a ballot or receipt; no user text could ping (the stand-in checks every post).
  const publicText = slack
    .messages(p.general)
    .filter((m) => m.ephemeralFor === undefined)
    .map(readable)
    .join('\n');
  for (const code of receipts) expect(publicText).not.toContain(code);
  expect(slack.takeViolations()).toEqual([]);
  expect(slack.takeErrors()).toEqual([]);
  for (const c of slack.callsTo('chat.postMessage')) expect(c.args).toMatchObject({ parse: 'none', link_names: 'false' }); // form-encoded, as the SDK sends it
}

describeEachEngine('a whole round on Slack, with the real Bolt App and flows', (db) => {
  it('HTTP mode on the web server: bind, propose via modal, private ballots, close, the explained result, "what did my vote do?"', async () => {
    w = await slackWorld(db());
    await playRound(w, db);
    expect(w.reports.every((r) => r.ackMs !== undefined && r.ackMs < 3000)).toBe(true);
    expect(w.log.problems()).toEqual([]);
  });

  it('Socket Mode (SLACK_APP_TOKEN): the same round over the WebSocket, every envelope acknowledged within 3 s', async () => {
    w = await slackWorld(db(), { transport: 'socket' });
    expect(w.adapter.mode).toBe('socket');
    await playRound(w, db);
    const envelopes = w.slack.socketMode.envelopes;
    expect(envelopes.length).toBeGreaterThan(20);
    expect(envelopes.filter((e) => e.ackMs === undefined || e.ackMs >= 3000)).toEqual([]);
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('Socket Mode: when Slack asks for a reconnect (refresh_requested), Bolt opens a new connection and commands keep working', async () => {
    w = await slackWorld(db(), { transport: 'socket' });
    const { slack } = w;
    slack.socketMode.requestReconnect('refresh_requested');
    await slack.waitFor(
      () => (slack.socketMode.history.length >= 2 && slack.socketMode.openConnections === 1 ? true : undefined),
      'a second connection, the first closed',
    );
    const d = await slack.sendSlashCommand({ userId: w.user('ida'), text: 'hjælp', channelId: w.channel('general') });
    expect(d.late).toBe(false);
    expect(d.ack).toMatchObject({ response_type: 'ephemeral' });
    expect(w.slack.takeViolations()).toEqual([]);
  });

  it('a bad or stale signature is refused with 401 and nothing happens', async () => {
    w = await slackWorld(db());
    for (const signature of ['bad', 'stale'] as const) {
      const d = await w.slack.sendSlashCommand({
        userId: w.user('admin'),
        text: 'kobl Klubben',
        channelId: w.channel('general'),
        signature,
      });
      expect(d.status).toBe(401);
    }
    expect(await db().prisma.conversation.count({ where: { platform: 'slack' } })).toBe(0);
    expect(w.reports).toEqual([]);
  });
});
