import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createTask } from 'node-cron';
import { createScheduler, type Job, type JobLeases, TIME_ZONE } from '../../src/scheduler/scheduler.ts';
import { staffJobs } from '../../src/staff/jobs.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { HOUR, manualClock } from '../usecases/fixtures.ts';
import { recordingNotifier, staffWorld } from './harness.ts';

/** Leases in memory, as the database keeps them (one row per job and slot). */
function memoryLeases(): JobLeases & { rows: Map<string, { owner: string; state: string }> } {
  const rows = new Map<string, { owner: string; state: string }>();
  return {
    rows,
    async claim(job, slot, owner) {
      const key = `${job}@${slot.toISOString()}`;
      if (rows.has(key)) return false;
      rows.set(key, { owner, state: 'running' });
      return true;
    },
    async finish(job, slot, owner, state) {
      const row = rows.get(`${job}@${slot.toISOString()}`);
      if (row?.owner === owner) row.state = state;
    },
    async newestSlot(job) {
      const slots = [...rows.keys()].filter((k) => k.startsWith(`${job}@`)).map((k) => new Date(k.slice(job.length + 1)));
      return slots.sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    },
  };
}

describe('scheduler (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('slots are Danish wall-clock times: 08:00 is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    const s = createScheduler({ jobs: [{ name: 'digest', cron: '0 8 * * *', run: async () => null }], leases: memoryLeases() });
    expect(s.previousSlot('digest', new Date('2026-01-15T12:00:00Z'))?.toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(s.previousSlot('digest', new Date('2026-07-15T05:59:00Z'))?.toISOString()).toBe('2026-07-14T06:00:00.000Z');
    expect(() => createScheduler({ jobs: [{ name: 'a:b', cron: '* * * * *', run: async () => null }], leases: memoryLeases() })).toThrow(
      "may not contain ':'",
    );
  });

  it('the newest slot is the one a minute-by-minute search finds, across both clock changes (fixed-minute jobs are searched by the hour)', () => {
    const crons = [
      '0 8 * * 1',
      '0 8 * * *',
      '30 3 * * *',
      '45 3 * * *',
      '*/10 * * * *',
      '5-59/10 * * * *',
      '0 2 * * *',
      '30 2 * * 0',
      '0 30 8 * * *',
    ];
    const s = createScheduler({ jobs: crons.map((cron, i) => ({ name: `j${i}`, cron, run: async () => null })), leases: memoryLeases() });
    const matchers = crons.map((cron) => createTask(cron, () => {}, { timezone: TIME_ZONE }));
    const minuteByMinute = (i: number, at: Date): string | null => {
      const m = matchers[i]!;
      let t = Math.floor(at.getTime() / 60_000) * 60_000;
      for (let i = 0; i <= 8 * 24 * 60; i++, t -= 60_000) if (m.match(new Date(t))) return new Date(t).toISOString();
      return null;
    };
    // Summer time starts 29 March 2026 (02:00 -> 03:00) and ends 25 October 2026 (03:00 -> 02:00).
    const ats = [
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:07:00Z',
      '2026-03-30T07:59:59Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:31:00Z',
      '2026-12-02T06:41:00Z',
    ];
    for (const at of ats)
      for (const [i, cron] of crons.entries())
        expect(s.previousSlot(`j${i}`, new Date(at))?.toISOString() ?? null, `${cron} at ${at}`).toBe(minuteByMinute(i, new Date(at)));
    for (const m of matchers) void m.destroy();
    void s.stop();
  });

  it('node-cron fires a job at its Copenhagen time, through the lease', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-03-02T06:59:30Z') });
    const slots: Date[] = [];
    const leases = memoryLeases();
    const s = createScheduler({ jobs: [{ name: 'digest', cron: '0 8 * * *', run: async (slot) => slots.push(slot) }], leases });
    const ran = new Promise<void>((resolve) => s.onReport((r) => r.outcome === 'ran' && resolve()));
    await s.start();
    await vi.advanceTimersByTimeAsync(31_000);
    await ran;
    expect(slots.map((d) => d.toISOString())).toEqual(['2026-03-02T07:00:00.000Z']);
    expect([...leases.rows.entries()]).toEqual([['digest@2026-03-02T07:00:00.000Z', { owner: s.owner, state: 'done' }]]);
    // Not again that day.
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(slots).toHaveLength(1);
    await s.stop();
  });

  it('a missed slot is caught up once at start-up, not repeated; a job that never ran has nothing to catch up', async () => {
    const leases = memoryLeases();
    const clock = manualClock(new Date('2026-03-02T07:00:00Z'));
    const runs: string[] = [];
    const jobs: Job[] = [
      { name: 'digest', cron: '0 8 * * *', run: async (slot) => runs.push(`digest ${slot.toISOString()}`) },
      { name: 'weekly', cron: '0 8 * * 1', run: async (slot) => runs.push(`weekly ${slot.toISOString()}`) },
    ];
    const first = createScheduler({ jobs, leases, now: clock.now });
    await first.fire('digest', new Date('2026-03-02T07:00:00Z'));
    // Down for three days; started at 10:00 on the 5th: the 5th's 08:00 runs once, the 3rd and 4th are not replayed.
    clock.set(new Date('2026-03-05T09:00:00Z'));
    const second = createScheduler({ jobs, leases, now: clock.now });
    expect((await second.catchUp()).map((r) => `${r.job} ${r.outcome}`)).toEqual(['digest ran']);
    const third = createScheduler({ jobs, leases, now: clock.now });
    expect((await third.catchUp()).map((r) => `${r.job} ${r.outcome}`)).toEqual(['digest skipped']);
    expect(runs).toEqual(['digest 2026-03-02T07:00:00.000Z', 'digest 2026-03-05T07:00:00.000Z']);
  });

  it('a job that throws is recorded as failed and not retried for that slot', async () => {
    const leases = memoryLeases();
    const s = createScheduler({
      jobs: [
        {
          name: 'broken',
          cron: '* * * * *',
          run: async () => {
            throw new Error('boom');
          },
        },
      ],
      leases,
    });
    const slot = new Date('2026-03-02T07:00:00Z');
    expect((await s.fire('broken', slot)).outcome).toBe('failed');
    expect((await s.fire('broken', slot)).outcome).toBe('skipped');
    expect(leases.rows.get('broken@2026-03-02T07:00:00.000Z')?.state).toBe('failed');
  });
});

describeEachEngine('scheduled staff jobs on one database', (db) => {
  it('two Pulje processes run each job once per slot; voting closes at its deadline and the result is posted once', async () => {
    const w = await staffWorld(db(), { youth: ['Aya', 'Jonas', 'Sofie', 'Emil'] });
    const staff = { personId: w.staff.personId };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommerpuljen',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
      votingDeadline: new Date(w.clock.now().getTime() + 30 * HOUR),
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    const idea = await w.pulje.proposals.submit(
      { personId: w.youth[0]!.personId },
      { roundId: round.id, title: 'Bænke', description: 'x', cost: 1000 },
    );
    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    await w.pulje.ballots.cast(
      { personId: w.youth[0]!.personId },
      { roundId: round.id, choice: { type: 'approval', picks: [idea.number] } },
    );
    await w.pulje.reminders.optOut({ personId: w.youth[1]!.personId }, { groupId: w.groupId });
    await w.pulje.digests.follow(staff, { groupId: w.groupId, frequency: 'daily' });

    // A second process: its own connection pool, use cases and scheduler on the same database.
    const second = await openDatabase(db().url);
    try {
      const p2 = createPulje({ db: second, clock: w.clock.now });
      const sent = [recordingNotifier(), recordingNotifier()];
      const schedulers = [
        createScheduler({ jobs: staffJobs({ pulje: w.pulje, notifier: sent[0]!.notifier }), leases: w.pulje.jobRuns, now: w.clock.now }),
        createScheduler({ jobs: staffJobs({ pulje: p2, notifier: sent[1]!.notifier }), leases: p2.jobRuns, now: w.clock.now }),
      ];
      const both = async (job: string, slot: Date) =>
        (await Promise.all(schedulers.map((s) => s.fire(job, slot)))).map((r) => r.outcome).sort();
      const all = () => sent.flatMap((s) => s.notices);

      // 26 h before the deadline: too early for the 24-hour reminder.
      w.clock.advance(4 * HOUR);
      expect(await both('reminders', new Date('2026-03-01T14:00:00Z'))).toEqual(['ran', 'skipped']);
      expect(all()).toHaveLength(0);
      // 20 h before: the two who neither voted nor opted out get one reminder each; the next slots send none.
      w.clock.advance(6 * HOUR);
      expect(await both('reminders', new Date('2026-03-01T20:00:00Z'))).toEqual(['ran', 'skipped']);
      expect(await both('reminders', new Date('2026-03-01T20:10:00Z'))).toEqual(['ran', 'skipped']);
      const reminded = all()
        .map((n) => n.personId)
        .sort();
      expect(reminded).toEqual([w.youth[2]!.personId, w.youth[3]!.personId].sort());
      expect(JSON.stringify(all()[0]!.body)).toContain('Du får kun denne ene påmindelse');
      expect(await db().prisma.voteReminder.count()).toBe(2);

      // The daily digest at 08:00 goes out once.
      w.clock.set(new Date('2026-03-02T07:00:00Z'));
      expect(await both('digest-daily', new Date('2026-03-02T07:00:00Z'))).toEqual(['ran', 'skipped']);
      const digests = all().filter((n) => JSON.stringify(n.body).includes('Dagens overblik'));
      expect(digests).toHaveLength(1);
      expect(digests[0]).toMatchObject({ personId: w.staff.personId, groupId: w.groupId });
      const digest = JSON.stringify(digests[0]!.body);
      expect(digest).toContain('Sommerpuljen: 1 af 4 har stemt');
      expect(digest).toContain('Sommerpuljen: afstemningen lukker');

      // At the deadline: closed once, the result posted once; the log says Pulje did it at the deadline.
      w.clock.set(new Date(w.clock.now().getTime() + 10 * HOUR));
      expect(await both('deadlines', new Date('2026-03-02T17:00:00Z'))).toEqual(['ran', 'skipped']);
      expect(await both('deadlines', new Date('2026-03-02T17:01:00Z'))).toEqual(['ran', 'skipped']);
      const announcements = sent.flatMap((s) => s.announcements);
      expect(announcements).toHaveLength(1);
      expect(JSON.stringify(announcements[0]!.body)).toContain('Fristen for at stemme i Sommerpuljen er nået');
      expect(await db().prisma.result.count()).toBe(1);
      const phase = await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'phase', data: { contains: 'automatic' } } });
      expect(phase.actorId).toBeNull();
      expect((await w.pulje.rounds.get(staff, { roundId: round.id })).phase).toBe('decided');

      // The purge, once.
      expect(await both('purge', new Date('2026-03-03T02:30:00Z'))).toEqual(['ran', 'skipped']);
      const runs = await db().prisma.jobRun.findMany({ orderBy: [{ job: 'asc' }, { slot: 'asc' }] });
      expect(runs.map((r) => `${r.job} ${r.state}`)).toEqual([
        'deadlines done',
        'deadlines done',
        'digest-daily done',
        'purge done',
        'reminders done',
        'reminders done',
        'reminders done',
      ]);
    } finally {
      await second.close();
    }
  });

  it('reminders are never sent twice: not by a second run, a restart, a change of deadline, or a takeover', async () => {
    const w = await staffWorld(db(), { youth: ['Aya', 'Jonas'] });
    const staff = { personId: w.staff.personId };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'R',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
      votingDeadline: new Date(w.clock.now().getTime() + 2 * HOUR),
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    await w.pulje.proposals.submit({ personId: w.youth[0]!.personId }, { roundId: round.id, title: 'Bænke', description: 'x', cost: 1000 });
    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    const { notifier, notices } = recordingNotifier('closed');
    const jobs = staffJobs({ pulje: w.pulje, notifier });
    const reminders = jobs.find((j) => j.name === 'reminders')!;
    await reminders.run(new Date());
    // Undelivered ('closed') is not tried again either.
    await reminders.run(new Date());
    await w.pulje.rounds.extendVoting(staff, {
      roundId: round.id,
      reason: 'mere tid',
      votingDeadline: new Date(w.clock.now().getTime() + 3 * HOUR),
    });
    await reminders.run(new Date());
    await Promise.all([reminders.run(new Date()), reminders.run(new Date())]);
    expect(notices.map((n) => n.personId).sort()).toEqual(w.youth.map((y) => y.personId).sort());
    expect((await db().prisma.voteReminder.findMany()).map((r) => r.outcome)).toEqual(['closed', 'closed']);
    expect(await w.pulje.reminders.claim(round.id, w.youth[0]!.personId)).toBe(false);
  });

  it('a missed daily digest is caught up once after a restart, across two processes starting together', async () => {
    const w = await staffWorld(db());
    await w.pulje.digests.follow({ personId: w.staff.personId }, { groupId: w.groupId, frequency: 'daily' });
    const { notifier, notices } = recordingNotifier();
    const make = (pulje = w.pulje) => createScheduler({ jobs: staffJobs({ pulje, notifier }), leases: pulje.jobRuns, now: w.clock.now });
    w.clock.set(new Date('2026-03-02T07:00:00Z'));
    await make().fire('digest-daily', new Date('2026-03-02T07:00:00Z'));
    // Down from the 2nd to the 5th at 09:15; two processes start at once.
    w.clock.set(new Date('2026-03-05T08:15:00Z'));
    const second = await openDatabase(db().url);
    try {
      const reports = (await Promise.all([make().catchUp(), make(createPulje({ db: second, clock: w.clock.now })).catchUp()])).flat();
      const digest = reports.filter((r) => r.job === 'digest-daily').map((r) => `${r.slot.toISOString()} ${r.outcome}`);
      expect(digest.sort()).toEqual(['2026-03-05T07:00:00.000Z ran', '2026-03-05T07:00:00.000Z skipped']);
      // Jobs that never ran (the weekly digest, the purge) have nothing to catch up.
      expect(reports.filter((r) => r.job === 'digest-weekly' || r.job === 'purge')).toEqual([]);
      expect(notices).toHaveLength(2);
      // Another restart: nothing again.
      expect((await make().catchUp()).filter((r) => r.outcome === 'ran')).toEqual([]);
      expect(notices).toHaveLength(2);
    } finally {
      await second.close();
    }
    // The digest covered the days since the last one it sent.
    expect(await db().prisma.digestSubscription.findFirstOrThrow()).toMatchObject({ lastSlot: new Date('2026-03-05T07:00:00Z') });
  });
});
