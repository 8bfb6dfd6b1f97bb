import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, entryHash, verifyChain } from '../../src/decision-log/chain.ts';
import { appendLog, readChain, verifyLogs } from '../../src/db/decision-log.ts';
import { describeEachEngine, ENGINES_UNDER_TEST, freshDatabase } from '../support/databases.ts';
import { cli } from '../support/cli.ts';

const run = promisify(execFile);

async function seedGroup(db: Awaited<ReturnType<typeof freshDatabase>>, groupId = 'g1') {
  await db.prisma.organisation.upsert({ where: { id: 'o1' }, create: { id: 'o1', name: 'Ballerup' }, update: {} });
  await db.prisma.group.create({ data: { id: groupId, organisationId: 'o1', name: groupId } });
}

describe('chain verification (pure)', () => {
  const base = { groupId: 'g', roundId: null, actorId: 'a', reason: null as string | null, data: '{}', at: new Date(0) };
  const build = (n: number) => {
    const out = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const e = { ...base, id: `e${seq}`, seq, kind: 'phase', prevHash: prev };
      const hash = entryHash(e);
      out.push({ ...e, hash });
      prev = hash;
    }
    return out;
  };
  it('accepts an intact chain', () => {
    expect(verifyChain('g', build(5))).toEqual({ groupId: 'g', entries: 5, ok: true });
  });
  it('names an edited entry', () => {
    const chain = build(5);
    chain[2] = { ...chain[2]!, reason: 'changed afterwards' };
    expect(verifyChain('g', chain).firstBroken).toEqual({ seq: 3, id: 'e3', problem: 'hash_mismatch' });
  });
  it('names the entry after a re-hashed edit, whose link no longer holds', () => {
    const chain = build(5);
    const edited = { ...chain[1]!, reason: 'forged' };
    chain[1] = { ...edited, hash: entryHash(edited) };
    expect(verifyChain('g', chain).firstBroken).toEqual({ seq: 3, id: 'e3', problem: 'broken_link' });
  });
  it('names a missing entry', () => {
    const chain = build(5);
    chain.splice(1, 1);
    expect(verifyChain('g', chain).firstBroken).toEqual({ seq: 2, id: null, problem: 'missing_entry' });
  });
});

describeEachEngine('decision log', (db) => {
  it('chains entries per group, each linked to the one before', async () => {
    await seedGroup(db());
    await seedGroup(db(), 'g2');
    for (const kind of ['phase', 'result', 'override'] as const) {
      await db().prisma.$transaction((tx) =>
        appendLog(tx, { groupId: 'g1', kind, actorId: 'p1', reason: kind === 'override' ? 'deadline moved' : null }),
      );
    }
    await db().prisma.$transaction((tx) => appendLog(tx, { groupId: 'g2', kind: 'phase' }));
    const chain = await readChain(db().prisma, 'g1');
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[2]!.prevHash).toBe(chain[1]!.hash);
    expect((await verifyLogs(db().prisma)).map((r) => r.ok)).toEqual([true, true]);
  });

  it('keeps one unbroken chain when many entries are appended at once', async () => {
    await seedGroup(db());
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => db().prisma.$transaction((tx) => appendLog(tx, { groupId: 'g1', kind: 'phase', data: { i } }))),
    );
    const [report] = await verifyLogs(db().prisma);
    expect(report).toMatchObject({ ok: true, entries: 30 });
  });

  it('shows tampering with a stored entry and a deleted last entry', async () => {
    await seedGroup(db());
    for (let i = 0; i < 4; i++) await db().prisma.$transaction((tx) => appendLog(tx, { groupId: 'g1', kind: 'phase', data: { i } }));
    const second = (await readChain(db().prisma, 'g1'))[1]!;
    await db().prisma.logEntry.update({ where: { id: second.id }, data: { reason: 'rewritten history' } });
    expect((await verifyLogs(db().prisma))[0]!.firstBroken).toEqual({ seq: 2, id: second.id, problem: 'hash_mismatch' });
    await db().prisma.logEntry.update({ where: { id: second.id }, data: { reason: null } });
    const last = (await readChain(db().prisma, 'g1'))[3]!;
    await db().prisma.logEntry.delete({ where: { id: last.id } });
    expect((await verifyLogs(db().prisma))[0]!.firstBroken).toEqual({ seq: 4, id: null, problem: 'missing_entry' });
  });
});

describe('npm run log:verify', () => {
  it.each(ENGINES_UNDER_TEST)('exits 0 on intact chains and 1 naming the first broken entry [%s]', async (engine) => {
    const db = await freshDatabase(engine);
    try {
      await seedGroup(db);
      for (let i = 0; i < 3; i++) await db.prisma.$transaction((tx) => appendLog(tx, { groupId: 'g1', kind: 'phase' }));
      const env = { ...process.env, DATABASE_URL: db.url };
      const ok = await run(...cli('log-verify'), { env });
      expect(ok.stderr).toContain('1 chains intact');
      const victim = (await readChain(db.prisma, 'g1'))[1]!;
      await db.prisma.logEntry.update({ where: { id: victim.id }, data: { kind: 'result' } });
      const bad = await run(...cli('log-verify'), { env }).catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 1 });
      expect(bad.stderr).toContain(`first broken entry is #2 (${victim.id})`);
    } finally {
      await db.destroy();
    }
  });
});
