import { expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ManualClock, type InteractionRecord, type RoleObject, type StoredMessage, type UserObject } from '../support/discord/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import { button, discordWorld, people, readable, unescapeDiscord, type World } from './harness.ts';

const engineName = (db: () => TestDatabase) => (db().engine === 'sqlite' ? 'SQLite' : 'PostgreSQL');

const da = translator('da');

/** What a person reads in a message, markdown escapes undone. */
const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/**
 * Staff create and open a round, young people propose by modal and vote privately by buttons, staff close, and
 * everyone sees the explained result. `deferrable`: a slow step may have been deferred (production timings),
 * so an update may have come as a deferred one (6) rather than at once (7).
 */
async function playRound(w: World, db: () => TestDatabase, deferrable: boolean) {
  const expectUpdate = (i: InteractionRecord) =>
    deferrable ? expect([6, 7]).toContain(i.response?.type) : expect(i.response?.type).toBe(7);
  const p = people(w);
  const [aya, bo, cem, dina] = w.youth as [UserObject, UserObject, UserObject, UserObject];

  // The admin (the server owner, known to Pulje from set-up) binds the channel, naming the server's role for
  // adults: a public welcome, and a private word on what the role does.
  const bound = await p.command(w.owner, 'bind', { name: 'Ungerådet', staffrole: w.staffRole });
  expect(p.answers(bound).map((m) => [m.ephemeral, text(m)])).toEqual([
    [false, expect.stringContaining(da('flow.bind.welcome_title', { group: 'Ungerådet' }))],
    [true, da('flow.bind.staff_role_set')],
  ]);

  // The pedagogue (Discord staff role; new to Pulje, so enrolled as staff) creates the round through a modal.
  const newround = await p.command(w.pedagogue, 'newround');
  const created = await p.submit(newround, { title: 'Sommerpuljen', amount: '10.000' });
  const settings = created.original!;
  expect(settings.ephemeral).toBe(true);
  expect(await db().prisma.round.findFirstOrThrow()).toMatchObject({ title: 'Sommerpuljen', amount: 1_000_000, phase: 'draft' });

  // Opening for ideas updates the private card and announces the round to everyone.
  const opened = await p.click(w.pedagogue, settings, da('flow.round.open_ideas'));
  expectUpdate(opened);
  const announcement = p.answers(opened).find((m) => !m.ephemeral)!;
  expect(text(announcement)).toMatch(/Ny runde: Sommerpuljen[\s\S]*10\.000 kr\. i puljen/);

  // Young people propose: from the public card's button, and with /propose. Each answer is theirs alone.
  const ideas: Array<Record<string, string>> = [
    { title: 'Skatepark', description: 'En lille rampe ved klubben. @everyone **nu**', cost: '4.000', category: 'sport' },
    { title: 'Filmaften', description: 'Popcorn og lærred.', cost: '1.500' },
    { title: 'Nye bænke', description: 'Til gården.', cost: '6.000' },
  ];
  const form = await p.click(aya, announcement, da('flow.proposal.new'));
  const thanks = await p.submit(form, ideas[0]!);
  expect(thanks.original).toMatchObject({ ephemeral: true });
  expect(text(thanks.original!)).toContain(da('flow.proposal.thanks', { ref: '#1' }));
  // The group hears of the new idea from the bot itself: not as a follow-up of Aya's interaction, which Discord
  // would head with "Aya used …".
  const told = w.discord.messages(w.bound.id).filter((m) => text(m).includes('Ny idé: #1 Skatepark'));
  expect(told.map((m) => [m.via, m.ephemeral, m.interactionId])).toEqual([['channel', false, undefined]]);
  expect(text(told[0]!)).not.toContain('Aya');
  // A price Pulje cannot read: Discord has closed the modal, so the answer is private, and what Bo typed is kept
  // for the next /propose, which opens the form filled in; only the price needs writing again.
  const unclear = await p.submit(await p.command(bo, 'propose'), { ...ideas[1]!, cost: 'ca. 1500' });
  expect(text(unclear.original!)).toContain(da('conversation.form_kept'));
  expect(unclear.original).toMatchObject({ ephemeral: true });
  const again = await p.command(bo, 'propose');
  const prefilled: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const c = node as { custom_id?: unknown; value?: unknown; components?: unknown[]; component?: unknown };
    if (typeof c.custom_id === 'string' && typeof c.value === 'string') prefilled[c.custom_id] = c.value;
    for (const child of c.components ?? []) walk(child);
    walk(c.component);
  };
  walk(again.modal);
  expect(prefilled).toMatchObject({ title: 'Filmaften', description: 'Popcorn og lærred.', cost: 'ca. 1500' });
  await p.submit(again, { cost: ideas[1]!.cost! });
  expect(await db().prisma.formDraft.count()).toBe(0);
  await p.submit(await p.command(cem, 'propose'), ideas[2]!);
  expect((await db().prisma.proposal.findMany({ orderBy: { number: 'asc' } })).map((x) => [x.number, x.title, x.cost])).toEqual([
    [1, 'Skatepark', 400_000],
    [2, 'Filmaften', 150_000],
    [3, 'Nye bænke', 600_000],
  ]);

  // Typing a proposal suggests matching ones; a proposal brought up in the group gets a thread for talking.
  const typed = w.discord.sendAutocomplete({ name: 'proposals', options: { number: 'ska' }, focused: 'number', user: bo });
  expect((await w.discord.waitForResponse(typed.id)).choices).toEqual([{ name: '#1 Skatepark', value: '1' }]);
  const shown = await p.command(bo, 'proposals', { number: '1' });
  const shared = await p.click(bo, shown.original!, da('flow.proposal.discuss'));
  const card = p.answers(shared).find((m) => !m.ephemeral)!;
  expect(w.discord.store.channels.get(card.threadId!)).toMatchObject({ name: '#1 Skatepark', parent_id: w.bound.id });
  // The user text in it cannot ping anyone.
  expect(card.allowedMentions).toEqual({ parse: [] });

  // Voting opens after a confirmation, announced with a Vote button.
  const confirm = await p.command(w.pedagogue, 'openvoting');
  const votingOpened = await p.click(w.pedagogue, confirm.original!, da('flow.confirm.voting_yes'));
  const votingCard = p.answers(votingOpened).find((m) => !m.ephemeral)!;
  expect(text(votingCard)).toMatch(/Nu kan I stemme: Sommerpuljen/);

  // Three young people vote privately: the ballot is ephemeral, each click updates it in place.
  const picks: Array<[UserObject, number[]]> = [
    [aya, [1, 2]],
    [bo, [1]],
    [cem, [1, 2, 3]],
  ];
  const receipts: string[] = [];
  for (const [voter, numbers] of picks) {
    const opened = await p.click(voter, votingCard, da('flow.vote.button'));
    const ballot = opened.original!;
    expect(ballot.ephemeral).toBe(true);
    for (const n of numbers) {
      const toggled = await p.click(voter, ballot, `#${n}`);
      expectUpdate(toggled);
    }
    const sent = await p.click(voter, ballot, da('flow.ballot.submit'));
    expectUpdate(sent);
    expect(text(ballot)).toContain(da('flow.receipt.cast_title'));
    const person = await db().prisma.identity.findFirstOrThrow({ where: { platform: 'discord', externalId: voter.id } });
    const code = (await db().prisma.ballot.findFirstOrThrow({ where: { voterId: person.personId } })).receiptCode;
    expect(text(ballot)).toContain(code);
    receipts.push(code);
  }
  // Each voter's draft stays, reading as the ballot sent, until voting closes.
  expect(await db().prisma.ballotDraft.count()).toBe(receipts.length);

  const turnout = await p.command(w.pedagogue, 'turnout');
  expect(turnout.original?.ephemeral).toBe(true);
  expect(text(turnout.original!)).toContain('3 af 3 har stemt indtil nu.');

  // Closing counts and publishes the result, explained proposal by proposal, to everyone.
  const closing = await p.command(w.pedagogue, 'close');
  const closed = await p.click(w.pedagogue, closing.original!, da('flow.confirm.close_yes'));
  expect(await db().prisma.ballotDraft.count()).toBe(0);
  const result = p.answers(closed).find((m) => !m.ephemeral)!;
  for (const line of [
    'Resultat: Sommerpuljen',
    '3 af 3 stemte.',
    'Der er brugt 5.500 kr. af 10.000 kr., og der er 4.500 kr. tilbage.',
    '✅ #1 Skatepark',
    '✅ #2 Filmaften',
    '❌ #3 Nye bænke',
  ]) {
    expect(text(result)).toContain(line);
  }

  // Nothing public carries a ballot or a receipt; every ballot was ephemeral to its voter.
  const publicText = w.discord
    .messages(w.bound.id)
    .filter((m) => !m.ephemeral)
    .map(text)
    .join('\n');
  for (const code of receipts) expect(publicText).not.toContain(code);
  expect(publicText).not.toContain(da('flow.receipt.cast_title'));

  // Anyone can look the result up again; each voter sees that their ballot was counted.
  expect(text((await p.command(dina, 'results')).original!)).toContain('3 af 3 stemte.');
  const receipt = await p.command(aya, 'receipt');
  expect(receipt.original?.ephemeral).toBe(true);
  expect(text(receipt.original!)).toContain(receipts[0]!);
  expect(text(receipt.original!)).toContain(da('flow.receipt.counted'));
}

describeEachEngine('a whole round on Discord, with the real flows', (db) => {
  it('staff create and open a round, young people propose by modal and vote privately by buttons, staff close, everyone sees the explained result', async () => {
    // This test is about the flows through Discord, not timing (see the next): the stand-in's clock stands
    // still, so a busy machine cannot push an answer past the 3 s, and the adapter answers directly.
    const w = await discordWorld(db(), {
      flows: true,
      bind: false,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000, expiresMs: 60_000 },
    });
    await playRound(w, db, false);
    // Every Discord body was valid (the harness fails on any violation) and nothing went wrong on the way.
    expect(w.log.problems()).toEqual([]);
  });

  it("the same round with the production acknowledgement timings and Discord's clock running: every interaction acknowledged within 3 s", async ({
    annotate,
  }) => {
    const w = await discordWorld(db(), { flows: true, bind: false });
    await playRound(w, db, true);
    const all = [...w.discord.store.interactions.values()];
    const times = all.map((i) => ({
      kind: i.kind,
      late: i.late,
      ms: i.acknowledgedAt === undefined ? undefined : i.acknowledgedAt - i.createdAt,
    }));
    const ms = times.map((t) => t.ms ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
    const summary =
      `${engineName(db)}: ${ms.length} interactions acknowledged, creation → accepted: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${ms.at(-1)} ms, ` +
      `${w.reports.filter((r) => r.deferred).length} deferred; each: ${times.map((t) => `${t.kind} ${t.ms}`).join(', ')}`;
    // Shown in a plain run, and kept as the test's annotation for reporters (JSON, JUnit, verbose).
    console.info(summary);
    await annotate(summary);
    expect(times.filter((t) => t.late || t.ms === undefined || t.ms >= 3000)).toEqual([]);
    expect(w.reports.filter((r) => r.expired)).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });
});
