import { afterEach, expect, it } from 'vitest';
import type { AlertLine } from '../../src/flows/safeguarding.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { describeEachEngine } from '../support/databases.ts';
import { readable, slackWorld, type SlackWorld } from '../slack/harness.ts';

// Crisis signposting on Slack: the real Bolt adapter against the stand-in. The answer to a channel message is an
// ephemeral message only the writer sees; the staff alert a DM; nothing new in the channel.

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describeEachEngine('crisis signposting on Slack', (db) => {
  it('a message in the bound channel about self-harm: an ephemeral answer with help open now, a DM alert to the pedagogue without the words', async () => {
    const alerts: AlertLine = { notifier: undefined };
    w = await slackWorld(db(), { alerts });
    alerts.notifier = createNotifier([w.adapter.notices], w.pulje.notices, w.log.logger);
    const general = w.channel('general');
    const admin = { personId: w.adminPersonId };
    await w.pulje.setup.bindConversation(admin, { groupId: w.groupId, platform: 'slack', channelId: general });
    for (const [name, role, displayName] of [
      ['ida', 'youth', 'Ida'],
      ['kari', 'staff', 'Kari'],
    ] as const)
      await w.pulje.setup.addMember(admin, { groupId: w.groupId, role, platform: 'slack', externalId: w.user(name), displayName });

    const before = w.slack.messages(general).filter((m) => m.via === 'chat.postMessage').length;
    const words = 'jeg cutter mig selv når det bliver for meget';
    await w.slack.userPosts({ channelId: general, userId: w.user('ida'), text: words });
    await w.settled(1);

    // The answer to a plain message goes by DM, where it lasts (as on Discord), not as an ephemeral that Slack drops
    // on reload: the help lines stay where Ida can find them again.
    expect(w.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    const opened = w.slack.callsTo('conversations.open').filter((c) => c.args.users === w!.user('ida'));
    expect(opened).toHaveLength(1);
    const answer = w.slack
      .messages((opened[0]!.response.channel as { id: string }).id)
      .map(readable)
      .join('\n');
    expect(answer).toContain('Tak, fordi du skriver det');
    expect(answer).toContain('116 111');
    // Nothing from Pulje in the channel.
    expect(w.slack.messages(general).filter((m) => m.via === 'chat.postMessage').length).toBe(before);
    // Kari's DM: who and what it may be about, never the words. The admin has no Slack DM open to check; Kari does.
    const dms = w.slack.callsTo('conversations.open').map((c) => (c.response.channel as { id: string }).id);
    const toKari = dms
      .flatMap((id) => w!.slack.messages(id))
      .map(readable)
      .filter((t) => t.includes('Måske brug for støtte'));
    expect(toKari.length).toBeGreaterThanOrEqual(1);
    expect(toKari.join('\n')).toContain('Ida');
    expect(toKari.join('\n')).toContain('selvskade');
    expect(toKari.join('\n')).not.toContain('cutter');
    expect(w.slack.takeViolations()).toEqual([]);
  });
});
