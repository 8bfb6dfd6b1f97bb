import type { Database } from '../../src/db/database.ts';
import { appendLog } from '../../src/db/decision-log.ts';

/**
 * Two organisations for the dashboard's tests, written straight into the database (the figures, not the flows
 * that made them, are under test here):
 * - Roskilde: "Klubben Syd" (pedagogue Mette, 8 young members, a decided round with 7 ballots, 6 answers to "did
 *   you have a real say?", an override with a reason that looks like a spreadsheet formula) and "Ungdomsskolen"
 *   (caseworker Jonas, 3 young members who all voted: a count to suppress). Programme manager Pia follows Roskilde.
 * - Dragør: "Dragør Unge" (admin Ada, 6 young members, a round still collecting ideas).
 */
export const FIX = {
  orgA: 'org-roskilde',
  orgB: 'org-dragor',
  gA1: 'g-syd',
  gA2: 'g-ungdom',
  gB1: 'g-dragor',
  r1: 'r-syd-1',
  r2: 'r-ungdom-1',
  r3: 'r-dragor-1',
  mette: 'p-mette',
  jonas: 'p-jonas',
  pia: 'p-pia',
  ada: 'p-ada',
  names: { gA1: 'Klubben Syd', gA2: 'Ungdomsskolen', gB1: 'Dragør Unge' },
  reason: '=SUM(A1) koster for meget',
};

export async function seedDashboard(db: Database, now = new Date('2026-06-01T12:00:00Z')): Promise<void> {
  const p = db.prisma;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  await p.organisation.create({ data: { id: FIX.orgA, name: 'Roskilde Kommune' } });
  await p.organisation.create({ data: { id: FIX.orgB, name: 'Dragør Kommune' } });
  for (const [id, org, name] of [
    [FIX.gA1, FIX.orgA, FIX.names.gA1],
    [FIX.gA2, FIX.orgA, FIX.names.gA2],
    [FIX.gB1, FIX.orgB, FIX.names.gB1],
  ] as const)
    await p.group.create({ data: { id, organisationId: org, name } });
  const person = async (id: string, org: string, name: string, group?: string, role?: string, locale?: string) => {
    await p.person.create({ data: { id, organisationId: org, displayName: name, locale: locale ?? null } });
    if (group && role) await p.membership.create({ data: { id: `m-${id}-${group}`, personId: id, groupId: group, role } });
  };
  await person(FIX.mette, FIX.orgA, 'Mette', FIX.gA1, 'staff');
  await person(FIX.jonas, FIX.orgA, 'Jonas', FIX.gA2, 'staff', 'en');
  await person(FIX.pia, FIX.orgA, 'Pia');
  await p.programmeStaff.create({ data: { personId: FIX.pia, organisationId: FIX.orgA, grantedBy: FIX.mette, createdAt: at(30) } });
  await person(FIX.ada, FIX.orgB, 'Ada', FIX.gB1, 'admin');
  const youth = async (group: string, org: string, n: number) => {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const id = `y-${group}-${i}`;
      await person(id, org, `Ung ${group} ${i}`, group, 'youth');
      ids.push(id);
    }
    return ids;
  };
  const ySyd = await youth(FIX.gA1, FIX.orgA, 8);
  const yUng = await youth(FIX.gA2, FIX.orgA, 3);
  await youth(FIX.gB1, FIX.orgB, 6);

  const round = (id: string, groupId: string, title: string, phase: string, amount: number, createdAt: Date) =>
    p.round.create({
      data: { id, groupId, title, phase, amount, ballotType: 'approval', rule: 'greedy', createdById: FIX.mette, createdAt },
    });
  await round(FIX.r1, FIX.gA1, 'Sommerpuljen', 'implementing', 1_000_000, at(60));
  await round(FIX.r2, FIX.gA2, 'Vinterpuljen', 'decided', 500_000, at(40));
  await round(FIX.r3, FIX.gB1, 'Forårspuljen', 'ideas', 300_000, at(5));

  // Klubben Syd: six ideas by young people, two funded (6.000 + 2.000 kr.), one of them done.
  const ideas = [600_000, 200_000, 300_000, 100_000, 250_000, 400_000];
  for (const [i, cost] of ideas.entries())
    await p.proposal.create({
      data: {
        id: `pr-${i + 1}`,
        roundId: FIX.r1,
        number: i + 1,
        title: `Idé ${i + 1}`,
        description: '…',
        cost,
        authorId: ySyd[i]!,
        createdAt: at(58 - i),
      },
    });
  await p.proposal.create({
    data: {
      id: 'pr-u1',
      roundId: FIX.r2,
      number: 1,
      title: 'Bordtennis',
      description: '…',
      cost: 400_000,
      authorId: yUng[0]!,
      createdAt: at(38),
    },
  });
  for (const [i, voter] of ySyd.slice(0, 7).entries())
    await p.ballot.create({
      data: {
        id: `b-syd-${i}`,
        roundId: FIX.r1,
        voterId: voter,
        choice: '{"type":"approval","approved":["pr-1","pr-2"]}',
        receiptCode: `RS${i}`,
      },
    });
  for (const [i, voter] of yUng.entries())
    await p.ballot.create({
      data: {
        id: `b-ung-${i}`,
        roundId: FIX.r2,
        voterId: voter,
        choice: '{"type":"approval","approved":["pr-u1"]}',
        receiptCode: `RU${i}`,
      },
    });
  await p.$transaction(async (tx) => {
    await appendLog(tx, {
      groupId: FIX.gA1,
      roundId: FIX.r1,
      kind: 'eligibility',
      actorId: FIX.mette,
      reason: FIX.reason,
      data: { proposalId: 'pr-6', to: 'ineligible' },
      at: at(50),
    });
    await appendLog(tx, {
      groupId: FIX.gA1,
      roundId: FIX.r1,
      kind: 'result',
      data: { seq: 1, selected: ['pr-1', 'pr-2'], totalCost: 800_000 },
      at: at(45),
    });
  });
  await p.$transaction((tx) =>
    appendLog(tx, {
      groupId: FIX.gA2,
      roundId: FIX.r2,
      kind: 'result',
      data: { seq: 1, selected: ['pr-u1'], totalCost: 400_000 },
      at: at(30),
    }),
  );
  const payload = {
    format: 1,
    ballotType: 'approval',
    rule: 'greedy',
    completion: 'none',
    budget: 1_000_000,
    currency: 'DKK',
    selected: ['pr-1', 'pr-2'],
    totalCost: 800_000,
    ballotsCounted: 7,
    proposals: [],
    receipts: ['RS0', 'RS1', 'RS2', 'RS3', 'RS4', 'RS5', 'RS6'],
    eligibleVoters: 8,
  };
  await p.result.create({
    data: { id: 'res-1', roundId: FIX.r1, seq: 1, payload: JSON.stringify(payload), ballotsCounted: 7, createdAt: at(45) },
  });
  await p.implementationUpdate.create({
    data: { id: 'iu-1', proposalId: 'pr-1', status: 'done', progress: 100, spent: 550_000, actorId: FIX.mette, at: at(20) },
  });
  await p.implementationUpdate.create({
    data: { id: 'iu-2', proposalId: 'pr-2', status: 'in_progress', progress: 50, spent: 100_000, actorId: FIX.mette, at: at(15) },
  });
  // Six answers: five said 4, one said 5 (that one must never show).
  for (const [i, score] of [4, 4, 4, 4, 4, 5].entries())
    await p.sayAnswer.create({ data: { roundId: FIX.r1, personId: ySyd[i]!, groupId: FIX.gA1, score, at: at(44) } });
  await p.sayTally.create({ data: { roundId: FIX.r1, score: 4, n: 5 } });
  await p.sayTally.create({ data: { roundId: FIX.r1, score: 5, n: 1 } });
  await p.result.create({
    data: {
      id: 'res-2',
      roundId: FIX.r2,
      seq: 1,
      payload: JSON.stringify({
        ...payload,
        budget: 500_000,
        selected: ['pr-u1'],
        totalCost: 400_000,
        ballotsCounted: 3,
        receipts: ['RU0', 'RU1', 'RU2'],
        eligibleVoters: 3,
      }),
      ballotsCounted: 3,
      createdAt: at(30),
    },
  });
  await p.lundyAssessment.create({
    data: { roundId: FIX.r1, personId: FIX.mette, groupId: FIX.gA1, space: 4, voice: 3, audience: 5, influence: 4, at: at(40) },
  });
  await p.discussionDaily.create({ data: { groupId: FIX.gA1, day: at(50), youth: 40, staff: 20 } });
  await p.discussionDaily.create({ data: { groupId: FIX.gA2, day: at(35), youth: 3, staff: 2 } });
  const monthOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  await p.discussionMonthly.create({ data: { groupId: FIX.gA1, month: monthOf(at(50)), youth: 40, staff: 20 } });
  await p.discussionMonthly.create({ data: { groupId: FIX.gA2, month: monthOf(at(35)), youth: 3, staff: 2 } });
  await p.discussionTotal.create({ data: { groupId: FIX.gA1, youth: 40, staff: 20, nudges: 1 } });
  await p.discussionTotal.create({ data: { groupId: FIX.gA2, youth: 3, staff: 2, nudges: 0 } });
  await p.staffNudge.create({
    data: {
      id: 'n-1',
      groupId: FIX.gA1,
      conversationId: 'c-1',
      staffId: FIX.mette,
      at: at(50),
      sharePct: 40,
      staffMessages: 8,
      totalMessages: 20,
    },
  });
}
