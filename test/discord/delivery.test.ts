import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { gate, testFlows } from './flows.ts';
import { discordWorld, type World } from './harness.ts';

/** A round of the test group open for ideas, made through the use cases (the flows are not under test here). */
async function roundForIdeas(w: World) {
  const admin = { personId: w.adminPersonId };
  const round = await w.pulje.rounds.create(admin, {
    groupId: w.groupId,
    title: 'Sommerpuljen',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await w.pulje.rounds.openIdeas(admin, { roundId: round.id });
  return round;
}

const idea = { title: 'Skatepark', description: 'En rampe ved klubben.', cost: '4.000' };

describeEachEngine('Discord adapter: only what can still be answered is acted on', (db) => {
  it('a proposal form that reaches Pulje 3.5 s after Discord created it creates no proposal and sends nothing', async () => {
    const w = await discordWorld(db(), { flows: true });
    await roundForIdeas(w);
    const opened = w.discord.sendSlashCommand({ name: 'propose', user: w.youth[0] });
    expect((await w.discord.waitForResponse(opened.id)).response.type).toBe(9);

    // Gateway lag: Discord created the submit 3.5 s before it was delivered; its token is dead on arrival.
    const late = w.discord.sendModalSubmit({ interactionId: opened.id, values: idea, lagMs: 3500 });
    expect(await w.settled(late.id)).toMatchObject({ expired: true, deferred: false, ackMs: undefined });
    expect(w.discord.interaction(late.id).attempts).toEqual([]);
    expect(await db().prisma.proposal.count()).toBe(0);
    expect(w.log.entries.map((e) => e.msg)).toContain('conversation: event arrived after its answer window; not acted on');

    // Submitted again (as after "This interaction failed"), in time: one proposal, not two.
    const again = w.discord.sendModalSubmit({ interactionId: opened.id, values: idea });
    await w.settled(again.id);
    expect((await db().prisma.proposal.findMany()).map((p) => p.title)).toEqual(['Skatepark']);
  });

  it('a slow command that arrives late but within its window is deferred at once, counting from its creation', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }) });
    // 2.2 s old on arrival, with the production timings: past the 1.5 s after which a slow answer is deferred.
    // Counted from arrival, the deferral would go out 1.5 s later, 3.7 s after creation: refused with 10062.
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0], lagMs: 2200 });
    const deferred = await w.discord.waitForResponse(rec.id);
    expect(deferred.response.type).toBe(5);
    expect(deferred.acknowledgedAt! - deferred.createdAt).toBeLessThan(3000);
    slow.open();
    expect((await w.discord.waitForEdit(rec.id)).body).toMatchObject({ content: 'Færdig' });
    expect(await w.settled(rec.id)).toMatchObject({ expired: false, deferred: true });
    expect(w.discord.interaction(rec.id).late).toBe(false);
  });
});
