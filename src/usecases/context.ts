import { AsyncLocalStorage } from 'node:async_hooks';
import { empty, sqltag } from '@prisma/client/runtime/client';
import { z } from 'zod';
import { AlreadyHandled, PuljeError, parseInput, notFound } from '../core/errors.ts';
import type { Prisma, PrismaTypes, Tx } from '../db/database.ts';
import type { LiveFeed } from '../db/live.ts';
import type { Engine } from '../db/schema-source.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { idFromName } from '../core/ids.ts';
import { roundFromRaw, storedDate } from '../db/raw-values.ts';
import type { ClaimMode, KnownMember, KnownReads } from '../conversation/ports.ts';
import { isPhase, PHASES_FOR, wrongPhase, type Phase } from '../domain/phases.ts';
import type { Locale } from '../i18n/index.ts';
import { forbidden, isRole, isStaffRole, type Role } from '../domain/roles.ts';

/** Who is acting: always a person, resolved by the adapter from a platform identity (`setup.resolveActor`). */
export interface Actor {
  personId: string;
}

export interface PuljeDeps {
  db: { prisma: Prisma; engine: Engine };
  /** The time now; tests pass a fixed clock to move past deadlines without waiting. */
  clock?: () => Date;
  /** Language for groups that somehow have none (PULJE_LOCALE). */
  defaultLocale?: Locale;
  /** Tells other Pulje processes on the same database what changed (web-chat live updates); in-process by default. */
  live?: LiveFeed;
  /** How long a claimed event is trusted to its process (PULJE_CLAIM_LEASE_MS); 30 s by default. */
  claimLeaseMs?: number;
}

export type ProposalRow = NonNullable<Awaited<ReturnType<Prisma['proposal']['findFirst']>>> & { author: { displayName: string } };

export interface Ctx {
  prisma: Prisma;
  engine: Engine;
  now(): Date;
  /**
   * A round's proposals (number order, with their author's name). Once voting has opened they are frozen
   * (PHASES_FOR.changeProposals), so they are read once per round and kept; before that, always read.
   */
  proposalsOf(round: { id: string; phase: string; lockedAt: Date | null }): Promise<ProposalRow[]>;
  /** Drops the kept proposals (an author's name was erased): they are read again on next use. */
  forgetProposals(): void;
  /** Runs `fn` in one transaction, retrying a few times on write conflicts the database reports as transient. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

const actorSchema = z.object({ personId: z.string().min(1).max(200) });

/** A malformed actor is a programming error in an adapter, but still reported as bad input, not a crash. */
export function parseActor(actor: unknown): Actor {
  return parseInput(actorSchema, actor);
}

/**
 * The inbound event being handled, if any (set by `pulje.events.within`): its first transaction completes the
 * event's claim in the same commit as its change, so "handled" and "changed" can never come apart in a crash.
 */
export const claimScope = new AsyncLocalStorage<EventScope>();

export interface EventScope {
  key: string;
  /** 'with-change': the key was not claimed first; the first transaction writes it (see ClaimMode). */
  mode: ClaimMode;
  completed: boolean;
  /** Reads made outside transactions while handling the event (the round, the actor's membership). */
  reads: Map<string, Promise<unknown>>;
  /** Transactions running now: reads inside one are never served from, or put into, `reads`. */
  inTx: number;
}

/**
 * A read answered once per inbound event: the round, the actor's membership in its group. Preconditions, the
 * flow and the use cases it calls all ask for them; this is where asking again costs nothing. Any write
 * (a successful transaction) forgets them, so nothing read after a change is stale.
 */
export function readOnce<T>(key: string, load: () => Promise<T>): Promise<T> {
  const scope = claimScope.getStore();
  if (!scope || scope.inTx > 0) return load();
  let hit = scope.reads.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    scope.reads.set(key, hit);
    // A failed read is not remembered: the next ask tries again.
    hit.catch(() => scope.reads.delete(key));
  }
  return hit;
}

const MAX_ATTEMPTS = 6;

/**
 * Transient failures worth another try: PostgreSQL serialization failures and deadlocks (P2034), a unique key
 * taken by a concurrent writer (a receipt code or proposal number chosen at the same moment, by a typed or a raw
 * write), SQLite busy.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof PuljeError) return false;
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code === 'P2034' || isUniqueViolation(error)) return true;
  return typeof e?.message === 'string' && /SQLITE_BUSY|database is locked|could not serialize|deadlock detected/i.test(e.message);
}

export function createContext(deps: PuljeDeps): Ctx {
  const { prisma, engine } = deps.db;
  const clock = deps.clock ?? (() => new Date());
  const frozen = new Map<string, { lockedAt: number; rows: Promise<ProposalRow[]> }>();
  const readProposals = (roundId: string) =>
    prisma.proposal.findMany({
      where: { roundId },
      orderBy: { number: 'asc' },
      include: { author: { select: { displayName: true } } },
    }) as Promise<ProposalRow[]>;
  return {
    prisma,
    engine,
    forgetProposals: () => frozen.clear(),
    proposalsOf(round) {
      if ((PHASES_FOR.changeProposals as readonly string[]).includes(round.phase) || !round.lockedAt) return readProposals(round.id);
      const lockedAt = round.lockedAt.getTime();
      const hit = frozen.get(round.id);
      if (hit && hit.lockedAt === lockedAt) return hit.rows;
      const rows = readProposals(round.id);
      rows.catch(() => frozen.delete(round.id));
      // Bounded: the rounds voting now, and a few more.
      if (frozen.size >= 256) frozen.delete(frozen.keys().next().value!);
      frozen.set(round.id, { lockedAt, rows });
      return rows;
    },
    // Millisecond precision: what both engines store.
    now: () => new Date(Math.floor(clock().getTime())),
    async tx(fn) {
      const scope = claimScope.getStore();
      const body =
        scope && !scope.completed
          ? async (tx: Tx) => {
              // Taken: the event was handled (not a transient conflict to retry); this transaction changes nothing.
              if (scope.mode !== 'claimed') {
                if (!(await writeHandled(tx, scope.key))) throw new AlreadyHandled(scope.key);
                // 'with-answer': an earlier try that changed nothing left no key, only its stored command; a repeat
                // must not make a change that try did not (reset a draft changed since), so it finds it here.
                if (scope.mode === 'with-answer' && (await commandStored(tx, scope.key))) throw new AlreadyHandled(scope.key);
              } else {
                const { count } = await tx.processedEvent.updateMany({
                  where: { key: scope.key, state: 'claimed' },
                  data: { state: 'done', leaseUntil: null },
                });
                // Another delivery of this event took the claim over and made its change first: change nothing.
                if (count !== 1) throw new AlreadyHandled(scope.key);
              }
              return fn(tx);
            }
          : fn;
      for (let attempt = 1; ; attempt++) {
        if (scope) scope.inTx++;
        try {
          const result = await prisma.$transaction(body);
          if (scope) {
            scope.completed = true;
            scope.reads.clear();
          }
          return result;
        } catch (error) {
          if (scope) scope.reads.clear();
          if (attempt >= MAX_ATTEMPTS || !isTransient(error)) throw error;
        } finally {
          if (scope) scope.inTx--;
        }
        // A short, growing, jittered pause so the conflicting writers do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    },
  };
}

/**
 * The id of a web-chat member's message sent with an idempotency key (`platform:key` minus the platform is the
 * router's key): made from the key, so a retry finds the message stored, and a typed command's stored message is
 * its key's record (ClaimMode 'with-answer').
 */
export const keyedMessageId = (requestKey: string) => idFromName(`web-message:${requestKey}`);

/** Whether the typed command of a 'with-answer' event (its router key) is stored already: it was answered. */
async function commandStored(tx: Tx, eventKey: string): Promise<boolean> {
  const id = keyedMessageId(eventKey.slice(eventKey.indexOf(':') + 1));
  return (await tx.webMessage.count({ where: { id } })) > 0;
}

/**
 * Writes an event's key handled (an event not claimed first, see ClaimMode); false when it was taken already.
 * As a transaction's first statement, a second delivery at the same moment waits on the key's index until this
 * one commits, then finds it taken.
 */
export async function writeHandled(db: Prisma | Tx, key: string): Promise<boolean> {
  try {
    await db.processedEvent.create({ data: { key, state: 'done' } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export interface MemberOf {
  personId: string;
  groupId: string;
  role: Role;
}

/** The actor's membership of a group; `not_member` if they have none. */
export function membershipOf(db: Prisma | Tx, actor: Actor, groupId: string): Promise<MemberOf> {
  return readOnce(memberKey(groupId, actor.personId), () => readMembership(db, actor, groupId));
}

const memberKey = (groupId: string, personId: string) => `member:${groupId}:${personId}`;
const roundKey = (roundId: string, personId: string) => `round:${roundId}:${personId}`;

/**
 * An event's scope starts out knowing what its adapter read with the request itself: the membership, and any
 * reads a use case made with it (`votingReads`).
 */
export function seedScope(scope: EventScope, known: KnownMember): void {
  if (!isRole(known.role)) return;
  const member: MemberOf = { personId: known.personId, groupId: known.groupId, role: known.role };
  scope.reads.set(memberKey(member.groupId, member.personId), Promise.resolve(member));
  for (const [key, value] of known.reads ?? []) scope.reads.set(key, Promise.resolve(value));
}

/**
 * The rounds voting now, with the member's ballot and draft of each, as a read that starts a request joined them
 * (`r.*` and VOTER_COLUMNS, a row per round, newest first; none when no round is voting): they answer the event's `loadRound`,
 * `loadRoundForVoter` and `votingRoundsOf`, so a ballot click reads no round of its own.
 */
export function votingReads(member: MemberOf, rows: ReadonlyArray<Record<string, unknown>>): KnownReads {
  const reads = new Map<string, unknown>();
  const rounds: RoundRow[] = [];
  for (const row of rows) {
    if (row.id == null || row.groupId !== member.groupId || row.phase !== 'voting') continue;
    const round = roundFromRaw(row);
    rounds.push(round);
    reads.set(roundKey(round.id, member.personId), { round, member });
    reads.set(voterKey(round.id, member.personId), { round, member, voter: voterRowsOf(row) });
  }
  reads.set(votingKey(member.groupId, member.personId), rounds);
  return reads;
}

/** A group's rounds in voting, newest first: from the request's own read when it made one (votingReads). */
export function votingRoundsOf(db: Prisma, member: MemberOf): Promise<RoundRow[]> {
  return readOnce(votingKey(member.groupId, member.personId), async () =>
    (await roundsForMember(db, member)).filter((r) => r.phase === 'voting'),
  );
}

const votingKey = (groupId: string, personId: string) => `voting:${groupId}:${personId}`;

/**
 * A group's rounds the member may see, newest first, with the member's own ballot and draft of each, in one
 * statement: a command about "the round" (/vote) lists them and then opens one. Each round answers the event's
 * later `loadRound` and `loadRoundForVoter` of it, so opening the ballot reads nothing more.
 */
export async function roundsForMember(db: Prisma, member: MemberOf): Promise<RoundRow[]> {
  const pid = member.personId;
  const visible = isStaff(member) ? empty : sqltag`AND r."phase" <> 'draft'`;
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>`SELECT r.*, ${VOTER_COLUMNS}
    FROM "Round" r
    LEFT JOIN "Ballot" b ON b."roundId" = r."id" AND b."voterId" = ${pid}
    LEFT JOIN "BallotDraft" d ON d."roundId" = r."id" AND d."voterId" = ${pid}
   WHERE r."groupId" = ${member.groupId} ${visible}
   ORDER BY r."createdAt" DESC, r."id" ASC`;
  return rows.map((row) => {
    const round = roundFromRaw(row);
    remember(roundKey(round.id, pid), { round, member });
    remember(voterKey(round.id, pid), { round, member, voter: voterRowsOf(row) });
    return round;
  });
}

async function readMembership(db: Prisma | Tx, actor: Actor, groupId: string): Promise<MemberOf> {
  const m = await db.membership.findUnique({ where: { personId_groupId: { personId: actor.personId, groupId } }, select: { role: true } });
  if (!m || !isRole(m.role)) throw new PuljeError('not_member');
  return { personId: actor.personId, groupId, role: m.role };
}

export function requireRole(m: MemberOf, roles: readonly Role[]): void {
  if (!roles.includes(m.role)) throw forbidden(roles);
}

export const isStaff = (m: MemberOf) => isStaffRole(m.role);

export type RoundRow = NonNullable<Awaited<ReturnType<Prisma['round']['findUnique']>>>;

/**
 * A round and the actor's membership of its group. Draft rounds are the staff's work in progress: to anyone
 * else they do not exist yet (`not_found`), like a round of another group.
 */
export async function loadRound(db: Prisma | Tx, actor: Actor, roundId: string): Promise<{ round: RoundRow; member: MemberOf }> {
  return readOnce(roundKey(roundId, actor.personId), () => readRound(db, actor, roundId));
}

async function readRound(db: Prisma | Tx, actor: Actor, roundId: string): Promise<{ round: RoundRow; member: MemberOf }> {
  const round = await db.round.findUnique({ where: { id: roundId } });
  if (!round) throw notFound('round');
  let member: MemberOf;
  try {
    member = await membershipOf(db, actor, round.groupId);
  } catch (error) {
    // Not telling outsiders which round ids exist.
    if (error instanceof PuljeError && error.code === 'not_member') throw notFound('round');
    throw error;
  }
  if (round.phase === 'draft' && !isStaff(member)) throw notFound('round');
  return { round, member };
}

/** The reader's own ballot and ballot draft of a round, as read with the round (see loadRoundForVoter). */
export interface VoterRows {
  ballot: { choice: string; receiptCode: string; revision: number; createdAt: Date; updatedAt: Date } | null;
  draft: { choice: string; version: number } | null;
}

/**
 * Like {@link loadRound}, with the actor's own ballot and draft of the round, in one statement: every ballot
 * click needs all three (they were three reads). The round read here answers the event's later loadRound.
 */
export function loadRoundForVoter(db: Prisma | Tx, actor: Actor, roundId: string) {
  return readOnce(voterKey(roundId, actor.personId), async () => {
    const found = await readRoundForVoter(db, actor, roundId);
    remember(roundKey(roundId, actor.personId), { round: found.round, member: found.member });
    return found;
  });
}

const voterKey = (roundId: string, personId: string) => `voter:${roundId}:${personId}`;

/** The reader's ballot and draft columns, joined as `b` and `d` (see voterRowsOf). */
export const VOTER_COLUMNS = sqltag`b."choice" AS "ballotChoice", b."receiptCode" AS "ballotReceipt", b."revision" AS "ballotRevision",
         b."createdAt" AS "ballotCreatedAt", b."updatedAt" AS "ballotUpdatedAt",
         d."choice" AS "draftChoice", d."version" AS "draftVersion"`;

function voterRowsOf(row: Record<string, unknown>): VoterRows {
  return {
    ballot:
      row.ballotChoice != null && row.ballotReceipt != null
        ? {
            choice: String(row.ballotChoice),
            receiptCode: String(row.ballotReceipt),
            revision: Number(row.ballotRevision),
            createdAt: storedDate(row.ballotCreatedAt),
            updatedAt: storedDate(row.ballotUpdatedAt),
          }
        : null,
    draft: row.draftChoice != null ? { choice: String(row.draftChoice), version: Number(row.draftVersion) } : null,
  };
}

async function readRoundForVoter(db: Prisma | Tx, actor: Actor, roundId: string) {
  const pid = actor.personId;
  const [row] = await db.$queryRaw<Array<Record<string, unknown>>>`SELECT r.*, m."role" AS "memberRole", ${VOTER_COLUMNS}
    FROM "Round" r
    LEFT JOIN "Membership" m ON m."groupId" = r."groupId" AND m."personId" = ${pid}
    LEFT JOIN "Ballot" b ON b."roundId" = r."id" AND b."voterId" = ${pid}
    LEFT JOIN "BallotDraft" d ON d."roundId" = r."id" AND d."voterId" = ${pid}
   WHERE r."id" = ${roundId}`;
  if (!row) throw notFound('round');
  const round: RoundRow = roundFromRaw(row);
  // As readRound: outsiders are not told which round ids exist, and drafts are staff's work in progress.
  const role = row.memberRole;
  if (typeof role !== 'string' || !isRole(role)) throw notFound('round');
  const member: MemberOf = { personId: pid, groupId: round.groupId, role };
  if (round.phase === 'draft' && !isStaff(member)) throw notFound('round');
  remember(memberKey(round.groupId, pid), member);
  return { round, member, voter: voterRowsOf(row) };
}

/** Puts a value read outside a transaction into the event's reads (see readOnce). */
function remember(key: string, value: unknown): void {
  const scope = claimScope.getStore();
  if (scope && scope.inTx === 0) scope.reads.set(key, Promise.resolve(value));
}

export function phaseOf(round: { phase: string }): Phase {
  if (!isPhase(round.phase)) throw new PuljeError('internal');
  return round.phase;
}

/**
 * Takes the round's row lock for the rest of the transaction, but only while the round is in one of `phases`
 * (and matches `where`): a conditional update that bumps `version`. It is the first write of every change that
 * depends on the round's phase, so on PostgreSQL concurrent writers queue on the row and each sees the phase
 * the one before it left; SQLite runs one writer at a time anyway. Returns false if the round had moved on.
 */
export async function lockRound(
  tx: Tx,
  roundId: string,
  phases: readonly Phase[],
  where: PrismaTypes.RoundWhereInput = {},
  data: PrismaTypes.RoundUpdateManyMutationInput = {},
): Promise<boolean> {
  const { count } = await tx.round.updateMany({
    where: { ...where, id: roundId, phase: { in: [...phases] } },
    data: { ...data, version: { increment: 1 } },
  });
  return count === 1;
}

/** A ballot as `castWhileVoting` wrote it. */
export interface WrittenBallot {
  roundId: string;
  choice: string;
  receiptCode: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Writes the voter's ballot (the first gets `receiptCode`; a change keeps its receipt and counts a revision) only
 * while the round is in voting and before its deadline, in one statement: `INSERT … SELECT` from the round's row,
 * so a round that is not voting gives no row and null. On PostgreSQL the SELECT takes a share lock on the round
 * (FOR SHARE) that holds it in voting until the ballot's transaction ends, without making ballots wait for each
 * other: a close (lockRound's update) waits for every ballot holding one, and a ballot that comes after the close
 * waits for it and then finds the round closed. SQLite runs one transaction at a time in this process and refuses
 * a second process (src/db/sqlite-lock.ts): reading the row in the transaction is enough. Both engines bind a Date
 * as their typed writes store it (the SQLite adapter as ISO text), so the row is as `ballot.upsert` wrote it.
 */
export async function castWhileVoting(
  tx: Tx,
  engine: Engine,
  ballot: { id: string; roundId: string; voterId: string; choice: string; receiptCode: string },
  now: Date,
): Promise<WrittenBallot | null> {
  const lock = engine === 'postgresql' ? sqltag`FOR SHARE` : empty;
  const rows = await tx.$queryRaw<Array<Record<string, unknown>>>`
    INSERT INTO "Ballot" ("id", "roundId", "voterId", "choice", "receiptCode", "revision", "createdAt", "updatedAt")
    SELECT ${ballot.id}, r."id", ${ballot.voterId}, ${ballot.choice}, ${ballot.receiptCode}, 1, ${now}, ${now}
      FROM "Round" r
     WHERE r."id" = ${ballot.roundId} AND r."phase" = 'voting' AND (r."votingDeadline" IS NULL OR r."votingDeadline" > ${now})
     ${lock}
    ON CONFLICT ("roundId", "voterId") DO UPDATE
       SET "choice" = excluded."choice", "revision" = "Ballot"."revision" + 1, "updatedAt" = excluded."updatedAt"
    RETURNING "roundId", "choice", "receiptCode", "revision", "createdAt", "updatedAt"`;
  const row = rows[0];
  if (!row) return null;
  return {
    roundId: String(row.roundId),
    choice: String(row.choice),
    receiptCode: String(row.receiptCode),
    revision: Number(row.revision),
    createdAt: storedDate(row.createdAt),
    updatedAt: storedDate(row.updatedAt),
  };
}

/** Like {@link lockRound}, but a round that moved on is reported as `wrong_phase` with the phase it is in now. */
export async function lockRoundInPhase(tx: Tx, roundId: string, phases: readonly Phase[]): Promise<void> {
  if (await lockRound(tx, roundId, phases)) return;
  const now = await tx.round.findUnique({ where: { id: roundId }, select: { phase: true } });
  if (!now) throw notFound('round');
  throw wrongPhase(phaseOf(now), phases);
}

/** A reason for the decision log: required, trimmed, kept short. Missing or blank gives `reason_required`. */
export const reasonField = z.string().max(1000).optional();

export function requireReason(reason: string | undefined): string {
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) throw new PuljeError('reason_required');
  return trimmed;
}

export const idField = z.string().min(1).max(200);
