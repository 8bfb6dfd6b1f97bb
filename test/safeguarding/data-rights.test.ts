import { afterEach, expect, it } from 'vitest';
import { Hub } from '../../adapters/web/hub.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { verifyLogs } from '../../src/db/decision-log.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import { failOnError, replyTexts, selectsOf } from '../flows/harness.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import { staffWorld, talk } from '../staff/harness.ts';
import { client, signIn } from '../web/harness.ts';

// The person's own data (issue 15 item 2): /mydata exports everything, /forgetme and an admin's erasure drop the
// identity and keep the counts; every erasure is in the decision log without the erased data.

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Aya has an idea, a ballot and chat messages in a round that is then closed. */
async function history(w: Awaited<ReturnType<typeof staffWorld>>) {
  const staff = { personId: w.staff.personId };
  const round = await w.pulje.rounds.create(staff, {
    groupId: w.groupId,
    title: 'Sommer',
    amount: 500_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
  const [aya, jonas, sofie] = w.youth as [(typeof w.youth)[0], (typeof w.youth)[0], (typeof w.youth)[0]];
  await w.pulje.proposals.submit(
    { personId: aya.personId },
    { roundId: round.id, title: 'Bænke ved søen', description: 'Tre bænke', cost: 300_000 },
  );
  await w.pulje.proposals.submit(
    { personId: jonas.personId },
    { roundId: round.id, title: 'Grill', description: 'En grill', cost: 100_000 },
  );
  await talk(w, [
    [aya, 'Jeg synes bænke er bedst'],
    [jonas, 'Grill!'],
  ]);
  await w.pulje.rounds.openVoting(staff, { roundId: round.id });
  for (const [who, picks] of [
    [aya, [1]],
    [jonas, [2]],
    [sofie, [1, 2]],
  ] as const)
    await w.pulje.ballots.cast({ personId: who.personId }, { roundId: round.id, choice: { type: 'approval', picks } });
  return { round, aya, jonas, sofie };
}

/**
 * Staff extend the voting and close; Aya answers "did you have a real say?" and disagrees with the extension; Pia (staff)
 * assesses the round, signs in to the dashboard, is made programme staff of the organisation and was nudged once.
 */
async function afterClose(w: Awaited<ReturnType<typeof staffWorld>>, db: TestDatabase, roundId: string, aya: { personId: string }) {
  const staff = { personId: w.staff.personId };
  await w.pulje.rounds.extendVoting(staff, { roundId, reason: 'Flere skal nå at stemme', votingDays: 2 });
  await w.pulje.rounds.close(staff, { roundId });
  await w.pulje.voice.answerSay(aya, { roundId, score: 4 });
  const decision = (await w.pulje.decisions.list(aya, { roundId })).find((d) => d.kind === 'extended')!;
  await w.pulje.decisions.react(aya, { decisionId: decision.id, disagree: true });
  await w.pulje.voice.assessLundy(staff, { roundId, space: 4, voice: 3, audience: 5, influence: 2, note: 'Godt forløb' });
  const link = await w.pulje.dashboardAccess.issueLink(staff);
  const session = (await w.pulje.dashboardAccess.redeem(link.token))!;
  const { prisma } = db;
  const { organisationId } = await prisma.group.findUniqueOrThrow({ where: { id: w.groupId } });
  await w.pulje.dashboardAccess.grantProgramme({ personId: w.admin.personId }, { personId: w.staff.personId, organisationId });
  await prisma.staffNudge.create({
    data: {
      id: 'nudge-1',
      groupId: w.groupId,
      conversationId: w.conversationId,
      staffId: w.staff.personId,
      at: w.clock.now(),
      sharePct: 60,
      staffMessages: 6,
      totalMessages: 10,
    },
  });
  return { decision, link, session, organisationId };
}

/** The web chat on the test's world (its pages: /mydata). */
const webChat = (pulje: Pulje) =>
  startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
    router: createRouter({ defaultLocale: 'da', pulje, logger: failOnError }),
    pulje,
    port: 0,
    hub: new Hub(),
  });

describeEachEngine('my data and erasure', (db) => {
  it('/mydata in the web chat: a one-time link to a readable page with everything, as JSON too', async () => {
    const w = await staffWorld(db());
    const { aya } = await history(w);
    server = await webChat(w.pulje);
    const me = await signIn(server.url, aya.personId);
    const room = me.conversations[0]!.id;
    await me.api.post(`/api/conversations/${room}/messages`, { text: 'hej fra webben' });
    const sent = await me.api.post(`/api/conversations/${room}/messages`, { text: '/mydata' });
    const answer = sent.body.messages.find((m: { author: string }) => m.author === 'pulje');
    expect(answer.private).toBe(true);
    const link = /\/mydata\/([A-Za-z0-9_-]{20,64})/.exec(JSON.stringify(answer))![0];
    const page = await client(server.url).get(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = String(page.body);
    for (const s of ['Aya Hansen', 'Bænke ved søen', 'Jeg synes bænke er bedst', 'hej fra webben', 'Ungerådet', 'd-y0'])
      expect(html).toContain(s);
    // Only Aya's own things: another young person's idea and messages are not in it.
    expect(html).not.toContain('Grill');
    // Once only.
    expect((await client(server.url).get(link)).status).toBe(404);
    // The signed-in person can download the file at any time.
    const file = await me.api.get('/api/me/data');
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(file.body.ideas.map((i: { title: string }) => i.title)).toEqual(['Bænke ved søen']);
    expect(file.body.ballots).toHaveLength(1);
    expect(file.body.ballots[0].choice.type).toBe('approval');
    expect(file.body.ballots[0].receiptCode).toEqual(expect.any(String));
    // Captured for the staff side: what she said on Discord and in the web room.
    expect(file.body.capturedMessages.map((m: { text: string }) => m.text)).toEqual(['Jeg synes bænke er bedst', 'hej fra webben']);
    expect(file.body.memberships).toEqual([expect.objectContaining({ group: 'Ungerådet', role: 'youth' })]);
  });

  it('/mydata holds "real say" answers and disagreements, and for staff Lundy assessments, dashboard sign-ins (no hashes), programme access and nudges', async () => {
    const w = await staffWorld(db());
    const { round, aya } = await history(w);
    const { link, session, organisationId } = await afterClose(w, db(), round.id, aya);

    const young = await w.pulje.privacy.exportMine(aya);
    expect(young.sayAnswers).toEqual([{ round: 'Sommer', score: 4, at: expect.any(String) }]);
    expect(young.decisionReactions).toEqual([{ kind: 'disagree', at: expect.any(String), withdrawn: false }]);
    expect(young.lundyAssessments).toEqual([]);
    expect(young.dashboardSessions).toEqual([]);

    const mine = await w.pulje.privacy.exportMine(w.staff);
    expect(mine.lundyAssessments).toEqual([
      { round: 'Sommer', space: 4, voice: 3, audience: 5, influence: 2, note: 'Godt forløb', at: expect.any(String) },
    ]);
    expect(mine.dashboardLinks).toEqual([{ createdAt: expect.any(String), expiresAt: link.expiresAt, usedAt: expect.any(String) }]);
    expect(mine.dashboardSessions).toEqual([{ createdAt: expect.any(String), expiresAt: session.expiresAt, revokedAt: null }]);
    expect(mine.programmeAccess).toEqual([
      { organisation: 'Roskilde Kommune', organisationId, grantedById: w.admin.personId, since: expect.any(String) },
    ]);
    expect(mine.staffNudges).toEqual([{ groupId: w.groupId, at: expect.any(String), sharePct: 60, staffMessages: 6, totalMessages: 10 }]);
    expect(mine.sayAnswers).toEqual([]);
    // That they exist and when they expire, never the tokens or their hashes.
    const text = JSON.stringify(mine);
    for (const row of [...(await db().prisma.dashboardLink.findMany()), ...(await db().prisma.dashboardSession.findMany())]) {
      expect(text).not.toContain(row.tokenHash);
      expect(text).not.toContain(row.id);
    }
    for (const token of [link.token, session.token]) expect(text).not.toContain(token);

    // The readable page has a section for each, in Danish and in English.
    server = await webChat(w.pulje);
    const page = async (personId: string) =>
      String((await client(server!.url).get(`/mydata/${(await w.pulje.privacy.exportLink({ personId })).token}`)).body);
    const da = await page(w.staff.personId);
    for (const heading of [
      'Dine Lundy-vurderinger af runder (1)',
      'Links til at logge ind på overblikket (hvornår de udløber) (1)',
      'Log-ind på overblikket (hvornår de udløber) (1)',
      'Adgang til overblikket som programmedarbejder (1)',
      'Nudges om din andel af snakken (1)',
    ])
      expect(da).toContain(heading);
    expect(da).toContain('Godt forløb');
    const youngDa = await page(aya.personId);
    expect(youngDa).toContain('Dine svar på &quot;Havde du reelt noget at skulle have sagt?&quot; (1)');
    expect(youngDa).toContain('Beslutninger, du har sagt, du er uenig i (1)');
    await db().prisma.person.updateMany({ where: { id: { in: [w.staff.personId, aya.personId] } }, data: { locale: 'en' } });
    const en = await page(w.staff.personId);
    for (const heading of [
      'Your Lundy assessments of rounds (1)',
      'Dashboard sign-in links (when they expire) (1)',
      'Dashboard sessions (when they expire) (1)',
      'Dashboard access as programme staff (1)',
      'Nudges about your share of the talk (1)',
    ])
      expect(en).toContain(heading);
    const youngEn = await page(aya.personId);
    expect(youngEn).toContain('Your answers to &quot;Did you have a real say?&quot; (1)');
    expect(youngEn).toContain('Decisions you said you disagree with (1)');
  });

  it('/forgetme asks first; then the identity is gone, the ballot still counts, the idea shows "tidligere medlem"', async () => {
    const w = await staffWorld(db());
    const { round, aya } = await history(w);
    const turnoutBefore = await w.pulje.ballots.turnout({ personId: w.staff.personId }, { roundId: round.id });

    const ask = await w.chat.command(aya, 'glemmig');
    expect(replyTexts(ask)).toContain('Vil du slettes fra Pulje?');
    // Asking changed nothing.
    expect(await db().prisma.identity.count({ where: { personId: aya.personId } })).toBe(1);
    const done = await w.chat.click(aya, w.chat.last(aya), 'Ja, slet mig');
    expect(replyTexts(done)).toContain('1 stemme tæller stadig uden navn');

    const person = await db().prisma.person.findUniqueOrThrow({ where: { id: aya.personId } });
    expect(person.displayName).toBe('tidligere medlem');
    expect(person.erasedAt).not.toBeNull();
    expect(await db().prisma.identity.count({ where: { personId: aya.personId } })).toBe(0);
    expect(await db().prisma.discussionMessage.count({ where: { authorId: aya.personId } })).toBe(0);
    expect(await db().prisma.discussionMessage.count()).toBe(1);
    // Counts stay: the ballot is still there and counted when the round closes.
    expect(await w.pulje.ballots.turnout({ personId: w.staff.personId }, { roundId: round.id })).toEqual(turnoutBefore);
    const result = await w.pulje.rounds.close({ personId: w.staff.personId }, { roundId: round.id });
    expect(result.ballotsCounted).toBe(3);
    const ideas = await w.pulje.proposals.list({ personId: w.staff.personId }, { roundId: round.id });
    expect(ideas.find((p) => p.number === 1)?.author?.displayName).toBe('tidligere medlem');
    // In the decision log without the name, and the chain still verifies.
    const entry = await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'privacy' } });
    expect(JSON.parse(entry.data)).toEqual({
      action: 'erasure',
      by: 'self',
      ballotsKept: 1,
      ideasKept: 1,
      messagesDeleted: 1,
      accountsRemoved: 1,
    });
    expect(entry.actorId).toBeNull();
    expect(JSON.stringify(entry)).not.toContain('Aya');
    expect((await verifyLogs(db().prisma)).every((r) => r.ok)).toBe(true);
    // Her Discord account is no longer Aya: the directory does not know it.
    expect(await w.pulje.directory.person({ platform: 'discord', externalId: aya.externalId })).toBeNull();
  });

  it('erasure deletes "real say" answers, dashboard links, sessions and programme access, unlinks disagreements (staff still see the count)', async () => {
    const w = await staffWorld(db());
    const { round, aya } = await history(w);
    const { decision, session } = await afterClose(w, db(), round.id, aya);
    const staff = { personId: w.staff.personId };
    const disagreeing = async () =>
      (await w.pulje.decisions.list(staff, { roundId: round.id })).find((d) => d.id === decision.id)!.disagree;
    expect(await disagreeing()).toBe(1);
    const tally = await db().prisma.sayTally.findMany({ where: { roundId: round.id } });

    await w.pulje.privacy.erase(aya, {});
    expect(await db().prisma.sayAnswer.count({ where: { personId: aya.personId } })).toBe(0);
    // The answer was counted when given: the count staff see stays.
    expect(await db().prisma.sayTally.findMany({ where: { roundId: round.id } })).toEqual(tally);
    // The disagreement stays, no longer hers, and still counts for staff.
    expect(await db().prisma.decisionReaction.count({ where: { personId: aya.personId } })).toBe(0);
    expect(await db().prisma.decisionReaction.count({ where: { logEntryId: decision.id, withdrawnAt: null } })).toBe(1);
    expect(await disagreeing()).toBe(1);
    expect((await verifyLogs(db().prisma)).every((r) => r.ok)).toBe(true);

    // An admin erases Pia on request: her dashboard links and sessions go, and the session no longer signs in.
    expect((await w.pulje.dashboardAccess.viewer(session.token))?.personId).toBe(w.staff.personId);
    await w.pulje.privacy.erase({ personId: w.admin.personId }, { personId: w.staff.personId, reason: 'anmodning' });
    expect(await db().prisma.dashboardLink.count({ where: { personId: w.staff.personId } })).toBe(0);
    expect(await db().prisma.dashboardSession.count({ where: { personId: w.staff.personId } })).toBe(0);
    expect(await w.pulje.dashboardAccess.viewer(session.token)).toBeNull();
    // Her programme access goes; her Lundy scores still count on the dashboard, without the note only she saw.
    expect(await db().prisma.programmeStaff.count({ where: { personId: w.staff.personId } })).toBe(0);
    expect(await db().prisma.lundyAssessment.findMany({ where: { personId: w.staff.personId } })).toEqual([
      expect.objectContaining({ space: 4, voice: 3, audience: 5, influence: 2, note: null }),
    ]);
  });

  it('an admin erases on request (asked first, audited), and no one else may', async () => {
    const w = await staffWorld(db());
    const { jonas } = await history(w);
    // Staff who are not admins cannot.
    expect(replyTexts(await w.chat.command(w.staff, 'erase'))).toMatch(/administrator/i);
    await w.chat.command(w.admin, 'slet');
    const pick = w.chat.last(w.admin);
    expect(selectsOf(pick.message)[0]!.options.map((o) => o.label)).toContain('Jonas Berg');
    await w.chat.choose(w.admin, pick, [jonas.personId]);
    expect(await db().prisma.person.count({ where: { erasedAt: { not: null } } })).toBe(0);
    const done = await w.chat.click(w.admin, w.chat.last(w.admin), 'Ja, slet');
    expect(replyTexts(done)).toContain('Slettet');
    expect((await db().prisma.person.findUniqueOrThrow({ where: { id: jonas.personId } })).displayName).toBe('tidligere medlem');
    const entry = await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'privacy' } });
    expect(entry.actorId).toBe(w.admin.personId);
    expect(JSON.parse(entry.data).by).toBe('admin');
    expect(await db().prisma.accessAudit.count({ where: { what: 'erasure', readerId: w.admin.personId, subjectId: jonas.personId } })).toBe(
      1,
    );
    expect((await verifyLogs(db().prisma)).every((r) => r.ok)).toBe(true);
    // An admin of another organisation's group cannot erase Jonas' neighbours.
    const other = createPulje({ db: db() });
    const elsewhere = await other.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Andre', locale: 'da' },
      admin: { displayName: 'Ole', platform: 'discord', externalId: 'd-ole' },
    });
    await expect(other.privacy.erase({ personId: elsewhere.admin.id }, { personId: w.youth[2]!.personId })).rejects.toThrow(/forbidden/);
  });

  it('an access request that came another way: an admin gets a one-time link for that person, and the read is audited', async () => {
    const w = await staffWorld(db());
    const { jonas } = await history(w);
    const router = createRouter({ defaultLocale: 'da', pulje: w.pulje, logger: failOnError, publicUrl: 'https://pulje.example.dk/' });
    const chat = new (await import('../flows/harness.ts')).Chat(router, (await import('../conversation/surfaces.ts')).discordLike);
    expect(replyTexts(await chat.command(w.staff, 'memberdata'))).toMatch(/administrator/i);
    await chat.command(w.admin, 'medlemsdata');
    const out = await chat.choose(w.admin, chat.last(w.admin), [jonas.personId]);
    const token = /https:\/\/pulje\.example\.dk\/mydata\/([A-Za-z0-9_-]+)/.exec(replyTexts(out))![1]!;
    const data = await w.pulje.privacy.redeemExportLink(token);
    expect(data?.person.displayName).toBe('Jonas Berg');
    expect(data?.ideas.map((i) => i.title)).toEqual(['Grill']);
    expect(await db().prisma.accessAudit.count({ where: { what: 'export', readerId: w.admin.personId, subjectId: jonas.personId } })).toBe(
      1,
    );
  });
});
