import { expect } from 'vitest';
import { PuljeError, type ErrorCode } from '../../src/core/errors.ts';
import type { Prisma } from '../../src/db/database.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import type { TestDatabase } from '../support/databases.ts';

/** A clock tests move by hand: deadlines pass without waiting. */
export function manualClock(start = new Date('2026-03-01T10:00:00.000Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(at: Date) {
      now = at.getTime();
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface World {
  pulje: Pulje;
  clock: ReturnType<typeof manualClock>;
  groupId: string;
  organisationId: string;
  admin: { personId: string };
  staff: { personId: string };
  youth: { personId: string }[];
}

/** An organisation with one group: an admin, a staff member and `youthCount` young members. */
export async function world(db: TestDatabase, youthCount = 3): Promise<World> {
  const clock = manualClock();
  const pulje = createPulje({ db, clock: clock.now });
  const boot = await pulje.setup.createOrganisation({
    name: 'Roskilde Kommune',
    group: { name: 'Ungerådet', locale: 'da' },
    admin: { displayName: 'Admin', platform: 'web', externalId: 'admin' },
  });
  const admin = { personId: boot.admin.id };
  const groupId = boot.group.id;
  const staffAdded = await pulje.setup.addMember(admin, {
    groupId,
    role: 'staff',
    platform: 'web',
    externalId: 'staff',
    displayName: 'Pædagog Pia',
  });
  const youth: { personId: string }[] = [];
  for (let i = 0; i < youthCount; i++) {
    const added = await pulje.setup.addMember(admin, {
      groupId,
      role: 'youth',
      platform: 'discord',
      externalId: `u${i}`,
      displayName: `Ung ${i}`,
    });
    youth.push({ personId: added.person.id });
  }
  return { pulje, clock, groupId, organisationId: boot.organisation.id, admin, staff: { personId: staffAdded.person.id }, youth };
}

export const approvalRound = (groupId: string, extra: Record<string, unknown> = {}) => ({
  groupId,
  title: 'Sommerpuljen',
  amount: 1_000_000,
  ballotType: 'approval',
  rule: 'greedy',
  ...extra,
});

/** A round in the voting phase with proposals of the given costs (each by a young member). */
export async function votingRound(w: World, costs: number[], extra: Record<string, unknown> = {}) {
  const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, extra));
  await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
  const proposals = [];
  for (const [i, cost] of costs.entries()) {
    proposals.push(
      await w.pulje.proposals.submit(w.youth[i % w.youth.length]!, {
        roundId: round.id,
        title: `Idé ${i + 1}`,
        description: 'Beskrivelse',
        cost,
      }),
    );
  }
  // Tests here set up several rounds in one group; voting on them side by side is what staff may choose.
  await w.pulje.rounds.openVoting(w.staff, { roundId: round.id, alongside: true });
  return { round, proposals };
}

/** Expects a PuljeError with this code; returns it for further checks. */
export async function expectPuljeError(promise: Promise<unknown>, code: ErrorCode): Promise<PuljeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a PuljeError ${code}`).toBeInstanceOf(PuljeError);
  expect((error as PuljeError).code).toBe(code);
  // Every error reads as a sentence in both languages, with no placeholder left over.
  for (const locale of ['da', 'en'] as const) expect((error as PuljeError).localize(locale)).not.toMatch(/\{\w+\}/);
  return error as PuljeError;
}

/** Every row of every table, for asserting that a refused request changed nothing. */
export async function snapshot(prisma: Prisma) {
  return {
    organisations: await prisma.organisation.findMany({ orderBy: { id: 'asc' } }),
    groups: await prisma.group.findMany({ orderBy: { id: 'asc' } }),
    conversations: await prisma.conversation.findMany({ orderBy: { id: 'asc' } }),
    people: await prisma.person.findMany({ orderBy: { id: 'asc' } }),
    identities: await prisma.identity.findMany({ orderBy: { id: 'asc' } }),
    memberships: await prisma.membership.findMany({ orderBy: { id: 'asc' } }),
    rounds: await prisma.round.findMany({ orderBy: { id: 'asc' } }),
    proposals: await prisma.proposal.findMany({ orderBy: { id: 'asc' } }),
    ballots: await prisma.ballot.findMany({ orderBy: { id: 'asc' } }),
    results: await prisma.result.findMany({ orderBy: { id: 'asc' } }),
    log: await prisma.logEntry.findMany({ orderBy: { id: 'asc' } }),
    implementation: await prisma.implementationUpdate.findMany({ orderBy: { id: 'asc' } }),
    reactions: await prisma.decisionReaction.findMany({ orderBy: { id: 'asc' } }),
  };
}

/** Runs a request that must fail with `code` and asserts the database is exactly as before. */
export async function expectRefusedUnchanged(prisma: Prisma, run: () => Promise<unknown>, code: ErrorCode): Promise<PuljeError> {
  const before = await snapshot(prisma);
  const error = await expectPuljeError(run(), code);
  expect(await snapshot(prisma)).toEqual(before);
  return error;
}
