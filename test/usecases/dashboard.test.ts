import { expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import { appendLog } from '../../src/db/decision-log.ts';
import { disagreementOutcome, sayOutcome } from '../../src/domain/outcomes.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { FIX, seedDashboard } from '../support/dashboard-fixture.ts';
import { describeEachEngine } from '../support/databases.ts';

describeEachEngine('dashboard use cases', (db) => {
  let now = new Date('2026-06-01T12:00:00Z');
  const make = () => createPulje({ db: db(), clock: () => now });

  it('a sign-in link works once and only within 15 minutes; sessions are revocable', async () => {
    now = new Date('2026-06-01T12:00:00Z');
    await seedDashboard(db());
    const pulje = make();
    const link = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
    // Only the hash is stored.
    const rows = await db().prisma.dashboardLink.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(link.token);
    const session = await pulje.dashboardAccess.redeem(link.token);
    expect(session?.personId).toBe(FIX.mette);
    expect(await pulje.dashboardAccess.redeem(link.token)).toBeNull();
    expect((await pulje.dashboardAccess.viewer(session!.token))?.scope).toBe('groups');

    const late = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
    now = new Date(now.getTime() + 16 * 60_000);
    expect(await pulje.dashboardAccess.redeem(late.token)).toBeNull();

    await pulje.dashboardAccess.revokeAll({ personId: FIX.mette });
    expect(await pulje.dashboardAccess.viewer(session!.token)).toBeNull();
  });

  it('/signout and erasure end dashboard sessions and links issued before them', async () => {
    now = new Date('2026-06-01T12:00:00Z');
    await seedDashboard(db());
    const pulje = make();
    const signIn = async (personId: string) =>
      (await pulje.dashboardAccess.redeem((await pulje.dashboardAccess.issueLink({ personId })).token))!;
    const before = await signIn(FIX.mette);
    const pending = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
    expect((await pulje.dashboardAccess.viewer(before.token))?.personId).toBe(FIX.mette);
    now = new Date(now.getTime() + 60_000);
    await pulje.privacy.revokeTokens({ personId: FIX.mette }, {});
    // The session and the unused link from before /signout no longer sign anyone in.
    expect(await pulje.dashboardAccess.viewer(before.token)).toBeNull();
    expect(await pulje.dashboardAccess.redeem(pending.token)).toBeNull();
    // A new sign-in after it works.
    now = new Date(now.getTime() + 60_000);
    const after = await signIn(FIX.mette);
    expect((await pulje.dashboardAccess.viewer(after.token))?.personId).toBe(FIX.mette);

    // Erased (here straight in the database, with no revocation time): the session shows nothing, and no new link.
    const pia = await signIn(FIX.pia);
    expect((await pulje.dashboardAccess.viewer(pia.token))?.scope).toBe('organisations');
    await db().prisma.person.update({ where: { id: FIX.pia }, data: { erasedAt: now, displayName: 'tidligere medlem' } });
    expect(await pulje.dashboardAccess.viewer(pia.token)).toBeNull();
    await expect(pulje.dashboardAccess.issueLink({ personId: FIX.pia })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('young people get no link; an admin can issue one for programme staff', async () => {
    await seedDashboard(db());
    const pulje = make();
    await expect(pulje.dashboardAccess.issueLink({ personId: `y-${FIX.gA1}-1` })).rejects.toMatchObject({ code: 'forbidden' });
    // Ada is an admin in Dragør, not Roskilde, so she may not issue Pia's link.
    await expect(pulje.dashboardAccess.issueLink({ personId: FIX.ada }, { personId: FIX.pia })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await db().prisma.membership.create({ data: { id: 'm-ada-a1', personId: FIX.ada, groupId: FIX.gA1, role: 'admin' } });
    const link = await pulje.dashboardAccess.issueLink({ personId: FIX.ada }, { personId: FIX.pia });
    expect(link.personId).toBe(FIX.pia);
  });

  it('scope: caseworker their groups, programme staff their organisation, admin all', async () => {
    await seedDashboard(db());
    const pulje = make();
    const groupsOf = async (personId: string) =>
      (await pulje.outcomes.read(await pulje.outcomes.viewerOf(personId), {}, 'da', false)).groups.map((g) => g.id).sort();
    expect(await groupsOf(FIX.mette)).toEqual([FIX.gA1]);
    expect(await groupsOf(FIX.pia)).toEqual([FIX.gA1, FIX.gA2].sort());
    expect(await groupsOf(FIX.ada)).toEqual([FIX.gA1, FIX.gA2, FIX.gB1].sort());
    const mette = await pulje.outcomes.viewerOf(FIX.mette);
    await expect(pulje.outcomes.read(mette, { groupId: FIX.gB1 }, 'da', false)).rejects.toBeInstanceOf(PuljeError);
  });

  it('the figures, with small counts suppressed', async () => {
    await seedDashboard(db());
    const pulje = make();
    const o = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), {}, 'da', true);
    const r1 = o.rounds.find((r) => r.roundId === FIX.r1)!;
    expect(r1).toMatchObject({
      eligible: 8,
      ballots: 7,
      turnoutPct: 87.5,
      ideasYouth: 6,
      ideasStaff: 0,
      fundedCount: 2,
      fundedAmount: 800_000,
      youthMoneyPct: 100,
      implementedCount: 1,
      spent: 650_000,
      daysIdeaToDecision: 13,
      daysDecisionToDone: null,
    });
    expect(r1.overrides.ineligible).toBe(1);
    // Six answers: 4 ×5 and 5 ×1; the one "5" is hidden, and so is the "4" (else 6 − 5 would tell it).
    expect(r1.say.responses).toBe(6);
    expect(r1.say.distribution).toEqual([0, 0, 0, null, null]);
    // With scores hidden, the mean (4.2) would tell them: not shown.
    expect(r1.say.mean).toBeNull();
    expect(r1.lundy).toMatchObject({ assessments: 1, space: 4, voice: 3, audience: 5, influence: 4 });
    const r2 = o.rounds.find((r) => r.roundId === FIX.r2)!;
    expect(r2.ballots).toBeNull();
    expect(r2.turnoutPct).toBeNull();
    expect(r2.ideasYouth).toBeNull();
    const g2 = o.perGroup.find((g) => g.groupId === FIX.gA2)!;
    expect(g2.youthMessages).toBeNull();
    expect(g2.staffSharePct).toBeNull();
    const g1 = o.perGroup.find((g) => g.groupId === FIX.gA1)!;
    expect(g1).toMatchObject({ youthMessages: 40, staffMessages: 20, staffSharePct: 33.3, nudges: 1 });
    expect(o.overrides.reasons[0]).toMatchObject({ kind: 'ineligible', reason: FIX.reason, groupName: FIX.names.gA1 });
    // The period narrows rounds: only Vinterpuljen started in the last 50 days.
    const recent = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), { from: '2026-04-15' }, 'da', false);
    expect(recent.rounds.map((r) => r.roundId)).toEqual([FIX.r2]);
  });

  it("override reasons are shown with members' names masked", async () => {
    await seedDashboard(db());
    await db().prisma.person.update({ where: { id: `y-${FIX.gA1}-2` }, data: { displayName: 'Karoline Jensen' } });
    await db().prisma.$transaction((tx) =>
      appendLog(tx, {
        groupId: FIX.gA1,
        roundId: FIX.r1,
        kind: 'moderation',
        actorId: FIX.mette,
        reason: 'Karoline Jensen bad om det, ring 12 34 56 78',
        data: { proposalId: 'pr-5', to: 'hidden' },
        at: new Date('2026-05-01T10:00:00Z'),
      }),
    );
    const pulje = make();
    const o = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.mette), {}, 'da', false);
    const hidden = o.overrides.reasons.find((r) => r.kind === 'hidden')!;
    expect(hidden.reason).not.toContain('Karoline');
    expect(hidden.reason).not.toContain('12 34 56 78');
    expect(hidden.reason).toMatch(/Deltager [A-Z]/);
    expect(o.overrides.byKind).toMatchObject({ hidden: 1, ineligible: 1 });
  });

  it('young people\'s "I disagree" is counted per decision and kind, in scope, with small counts suppressed', async () => {
    await seedDashboard(db());
    const pulje = make();
    const log = (groupId: string, roundId: string, kind: 'eligibility' | 'moderation', data: Record<string, unknown>, reason: string) =>
      db().prisma.$transaction((tx) =>
        appendLog(tx, { groupId, roundId, kind, actorId: FIX.mette, reason, data, at: new Date('2026-05-10T10:00:00Z') }),
      );
    const decisionOf = async (groupId: string, reason: string) =>
      (await db().prisma.logEntry.findFirstOrThrow({ where: { groupId, reason } })).id;
    const disagree = async (groupId: string, decisionId: string, youths: number[], disagree = true) => {
      for (const i of youths) await pulje.decisions.react({ personId: `y-${groupId}-${i}` }, { decisionId, disagree });
    };
    // Klubben Syd: the seeded "not possible" (6 disagree), a second one (2), a hidden idea (2).
    await log(FIX.gA1, FIX.r1, 'eligibility', { proposalId: 'pr-5', to: 'ineligible' }, 'for dyrt');
    await log(FIX.gA1, FIX.r1, 'moderation', { proposalId: 'pr-4', to: 'hidden' }, 'personlige oplysninger');
    await disagree(FIX.gA1, await decisionOf(FIX.gA1, FIX.reason), [1, 2, 3, 4, 5, 6, 7]);
    // One takes it back: a withdrawn disagreement is not counted.
    await disagree(FIX.gA1, await decisionOf(FIX.gA1, FIX.reason), [7], false);
    await disagree(FIX.gA1, await decisionOf(FIX.gA1, 'for dyrt'), [1, 2]);
    await disagree(FIX.gA1, await decisionOf(FIX.gA1, 'personlige oplysninger'), [3, 4]);
    // Dragør Unge (another organisation): a hidden idea 5 disagree with.
    await db().prisma.proposal.create({
      data: { id: 'pr-d1', roundId: FIX.r3, number: 1, title: 'Skaterampe', description: '…', cost: 1, authorId: `y-${FIX.gB1}-1` },
    });
    await log(FIX.gB1, FIX.r3, 'moderation', { proposalId: 'pr-d1', to: 'hidden' }, 'navn og adresse');
    await disagree(FIX.gB1, await decisionOf(FIX.gB1, 'navn og adresse'), [1, 2, 3, 4, 5]);

    const pia = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), {}, 'da', true);
    const reason = (o: typeof pia, text: string) => o.overrides.reasons.find((r) => r.reason === text);
    expect(reason(pia, FIX.reason)?.disagree).toBe(6);
    expect(reason(pia, 'for dyrt')?.disagree).toBeNull();
    expect(reason(pia, 'personlige oplysninger')?.disagree).toBeNull();
    // 6 + 2 would tell the hidden 2: withheld. Hidden: 2 in all, under 5. Dragør's five are not in Pia's view.
    expect(pia.overrides.disagreeByKind).toEqual({ ineligible: 'withheld', hidden: null, reopened: 0, extended: 0, result_changed: 0 });
    // The admin sees every group: hidden 2 + 5, and the 7 would tell the 2.
    const ada = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.ada), {}, 'da', true);
    expect(reason(ada, 'navn og adresse')?.disagree).toBe(5);
    expect(ada.overrides.disagreeByKind.hidden).toBe('withheld');
    // Three more on the second "not possible": 6 + 5, nothing hidden, so the total is shown (here for the round alone).
    await disagree(FIX.gA1, await decisionOf(FIX.gA1, 'for dyrt'), [3, 4, 5]);
    const after = await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), { roundId: FIX.r1 }, 'da', true);
    expect(reason(after, 'for dyrt')?.disagree).toBe(5);
    expect(after.overrides.disagreeByKind.ineligible).toBe(11);
    // A group out of scope is refused as before.
    await expect(pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), { groupId: FIX.gB1 }, 'da', true)).rejects.toThrow();
  });

  it('an erased answerer\'s "real say" answer is deleted; the dashboard still counts it (from SayTally)', async () => {
    await seedDashboard(db());
    const pulje = make();
    const figures = async () =>
      (await pulje.outcomes.read(await pulje.outcomes.viewerOf(FIX.pia), {}, 'da', false)).rounds.find((r) => r.roundId === FIX.r1)!;
    const before = await figures();
    expect(before.say.responses).toBe(6);
    const answerer = `y-${FIX.gA1}-1`;
    await pulje.privacy.erase({ personId: answerer }, {});
    expect(await db().prisma.sayAnswer.count({ where: { personId: answerer } })).toBe(0);
    expect(await db().prisma.sayAnswer.count({ where: { roundId: FIX.r1 } })).toBe(5);
    const after = await figures();
    expect(after.say).toEqual(before.say);
    expect(after.ballots).toBe(before.ballots);
  });

  it('"did you have a real say?" is asked once, of young voters of a decided round', async () => {
    await seedDashboard(db());
    const pulje = make();
    const voter = { personId: `y-${FIX.gA2}-1` };
    expect(await pulje.voice.shouldAsk(voter, { roundId: FIX.r2 })).toBe(true);
    await pulje.voice.answerSay(voter, { roundId: FIX.r2, score: 3 });
    expect(await pulje.voice.shouldAsk(voter, { roundId: FIX.r2 })).toBe(false);
    await expect(pulje.voice.answerSay(voter, { roundId: FIX.r2, score: 5 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(pulje.voice.answerSay({ personId: FIX.jonas }, { roundId: FIX.r2, score: 5 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // Syd's eighth member did not vote: not asked.
    expect(await pulje.voice.shouldAsk({ personId: `y-${FIX.gA1}-8` }, { roundId: FIX.r1 })).toBe(false);
    expect(await db().prisma.sayAnswer.count({ where: { roundId: FIX.r2 } })).toBe(1);
  });
});

it('say distribution: unanimity and a lone hidden score are not shown', () => {
  expect(sayOutcome([0, 0, 7, 0, 0], 7)).toMatchObject({ responses: 7, distribution: null, mean: null });
  expect(sayOutcome([1, 0, 0, 0, 3], 4)).toMatchObject({ responses: null, distribution: null });
  expect(sayOutcome([0, 5, 6, 7, 0], 20)).toMatchObject({ distribution: [0, 5, 6, 7, 0], mean: 3.1, ratePct: 90 });
  // One hidden cell (2) would be 20 − 18: the smallest shown one is hidden with it.
  expect(sayOutcome([0, 2, 5, 6, 7], 20)).toMatchObject({ distribution: [0, null, null, 6, 7], mean: null });
});

it('disagreements: a total that would tell a hidden count (one hidden; all 1; all 4) is withheld', () => {
  expect(disagreementOutcome([])).toEqual({ each: [], total: 0 });
  expect(disagreementOutcome([0, 5, 7])).toEqual({ each: [0, 5, 7], total: 12 });
  expect(disagreementOutcome([1, 2])).toEqual({ each: [null, null], total: null });
  expect(disagreementOutcome([6, 2])).toEqual({ each: [6, null], total: 'withheld' });
  expect(disagreementOutcome([6, 1, 1])).toEqual({ each: [6, null, null], total: 'withheld' });
  expect(disagreementOutcome([6, 4, 4])).toEqual({ each: [6, null, null], total: 'withheld' });
  // Two hidden adding up to 3 or 5: neither can be told.
  expect(disagreementOutcome([1, 2, 9])).toEqual({ each: [null, null, 9], total: 12 });
  expect(disagreementOutcome([2, 3])).toEqual({ each: [null, null], total: 5 });
});
