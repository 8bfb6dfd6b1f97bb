import { createHash } from 'node:crypto';

export const LOG_KINDS = [
  'phase',
  'result',
  'override',
  'eligibility',
  'moderation',
  'config',
  'binding',
  'implementation',
  'privacy',
] as const;
export type LogKind = (typeof LOG_KINDS)[number];

/** The fields a hash covers: everything an entry says, plus the hash of the entry before it. */
export interface ChainedEntry {
  id: string;
  groupId: string;
  seq: number;
  roundId: string | null;
  kind: string;
  actorId: string | null;
  reason: string | null;
  data: string;
  at: Date;
  prevHash: string;
  hash: string;
}

/** The chain's anchor: entry 1 links to this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over a canonical JSON array (fixed field order, ISO time), so the same entry hashes the same on
 * SQLite and PostgreSQL and any edit to any field, or to an earlier entry, shows.
 */
export function entryHash(e: Omit<ChainedEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    e.prevHash,
    e.id,
    e.groupId,
    e.seq,
    e.roundId,
    e.kind,
    e.actorId,
    e.reason,
    e.data,
    e.at.toISOString(),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainBreak = { seq: number; id: string | null; problem: 'hash_mismatch' | 'broken_link' | 'missing_entry' };
export interface ChainReport {
  groupId: string;
  entries: number;
  ok: boolean;
  firstBroken?: ChainBreak;
}

/** Checks one group's chain, ordered by seq, and names the first entry that does not hold. */
export function verifyChain(groupId: string, entries: readonly ChainedEntry[]): ChainReport {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const broken = (problem: ChainBreak['problem'], seq = e.seq, id: string | null = e.id): ChainReport => ({
      groupId,
      entries: entries.length,
      ok: false,
      firstBroken: { seq, id, problem },
    });
    if (e.seq !== i + 1) return broken('missing_entry', i + 1, null);
    if (e.prevHash !== prev) return broken('broken_link');
    if (entryHash(e) !== e.hash) return broken('hash_mismatch');
    prev = e.hash;
  }
  return { groupId, entries: entries.length, ok: true };
}
