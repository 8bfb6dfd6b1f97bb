import { afterEach, expect, it } from 'vitest';
import { gate, testFlows } from '../discord/flows.ts';
import { describeEachEngine } from '../support/databases.ts';
import { readable, slackWorld, type SlackWorld, type WorldOptions } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** #general bound to the group; the workspace admin (Pulje's admin) acts. */
async function world(db: Parameters<typeof slackWorld>[0], slow: Promise<void>, standIn: WorldOptions['standIn'] = {}) {
  const world = await slackWorld(db, { flows: (router) => testFlows(router, { slow }), standIn });
  await world.pulje.setup.bindConversation(
    { personId: world.adminPersonId },
    { groupId: world.groupId, platform: 'slack', channelId: world.channel('general') },
  );
  return world;
}

describeEachEngine('Slack within 3 seconds (production timings)', (db) => {
  it('an answer not ready by 1.5 s: acknowledged then (empty), answered through the response_url when ready', async () => {
    const slow = gate();
    w = await world(db(), slow.promise);
    const d = await w.slack.sendSlashCommand({ userId: w.user('admin'), text: 'slow', channelId: w.channel('general') });
    // Slack has its acknowledgement, in time, before the answer exists.
    expect(d.late).toBe(false);
    expect(d.ackMs!).toBeGreaterThanOrEqual(1400);
    expect(d.ackMs!).toBeLessThan(3000);
    expect(d.ack).toBeUndefined();
    slow.open();
    await w.settled(1);
    expect(w.reports[0]).toMatchObject({ kind: 'command', deferred: true });
    const answer = w.slack.messages(w.channel('general')).filter((m) => m.ephemeralFor === w!.user('admin'));
    expect(answer.map((m) => [m.via, readable(m)])).toEqual([['response_url', 'Færdig']]);
    expect(w.log.problems()).toEqual([]);
  });

  it('a form ready after the acknowledgement still opens while its trigger lives', async () => {
    const slow = gate();
    w = await world(db(), slow.promise);
    const d = await w.slack.sendSlashCommand({ userId: w.user('admin'), text: 'slowform', channelId: w.channel('general') });
    expect(d.ackMs!).toBeGreaterThanOrEqual(1400);
    slow.open();
    await w.settled(1);
    expect(w.slack.callsTo('views.open').map((c) => c.response.ok)).toEqual([true]);
    expect(w.slack.views({ type: 'modal' }).filter((v) => v.open)).toHaveLength(1);
    expect(w.log.problems()).toEqual([]);
  });

  it('a form ready only after its trigger expired: the person is told privately that it can no longer open', async () => {
    const late = gate();
    // Triggers live 3 s at Slack; 1 s here, so that the acknowledgement at 1.5 s already outlives it.
    w = await world(db(), late.promise, { triggerLifetimeMs: 1000 });
    const d = await w.slack.sendSlashCommand({ userId: w.user('admin'), text: 'slowform', channelId: w.channel('general') });
    expect(d.ackMs!).toBeGreaterThanOrEqual(1000);
    late.open();
    await w.settled(1);
    expect(w.slack.callsTo('views.open').map((c) => c.response.error)).toEqual(['expired_trigger_id']);
    const note = w.slack.messages(w.channel('general')).filter((m) => m.ephemeralFor === w!.user('admin'));
    expect(note.map((m) => m.via)).toEqual(['response_url']);
    expect(w.log.problems()).toEqual(['warn: slack: a Web API call failed']);
  });
});
