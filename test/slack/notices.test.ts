import { afterEach, expect, it } from 'vitest';
import { createNotifier } from '../../src/staff/notifier.ts';
import { describeEachEngine } from '../support/databases.ts';
import { standardWorkspace } from '../support/slack/index.ts';
import { readable, slackWorld, type SlackWorld } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describeEachEngine("Pulje's own notices on Slack", (db) => {
  it('a result is posted in the bound channel and a reminder goes by DM with its button; someone without Slack is not reached here', async () => {
    w = await slackWorld(db());
    const general = w.channel('general');
    const admin = { personId: w.adminPersonId };
    await w.pulje.setup.bindConversation(admin, { groupId: w.groupId, platform: 'slack', channelId: general });
    const ida = await w.pulje.setup.addMember(admin, {
      groupId: w.groupId,
      role: 'youth',
      platform: 'slack',
      externalId: w.user('ida'),
      displayName: 'Ida',
    });
    const web = await w.pulje.setup.addMember(admin, {
      groupId: w.groupId,
      role: 'youth',
      platform: 'web',
      externalId: 'x',
      displayName: 'Web',
    });
    const notifier = createNotifier([w.adapter.notices], w.pulje.notices, w.log.logger);
    expect(await notifier.announce(w.groupId, { cards: [{ title: 'Resultat: Sommerpuljen', body: '<!channel> 2 af 2 stemte.' }] })).toBe(1);
    const posted = w.slack.messages(general).filter((m) => m.via === 'chat.postMessage');
    expect(posted.map(readable)).toEqual(['Resultat: Sommerpuljen\n<!channel> 2 af 2 stemte.']);
    const reminder = {
      text: 'Husk at stemme',
      cards: [{ controls: [{ kind: 'button' as const, action: { flow: 'remind', verb: 'off' }, label: 'Stop' }] }],
    };
    expect(await notifier.notify(ida.person.id, w.groupId, reminder)).toBe('sent');
    const dm = w.slack.callsTo('conversations.open').at(-1)!.response.channel as { id: string };
    expect(
      w.slack.messages(dm.id).map((m) => [readable(m).includes('Husk at stemme'), JSON.stringify(m.blocks).includes('"Stop"')]),
    ).toEqual([[true, true]]);
    expect(await notifier.notify(web.person.id, w.groupId, reminder)).toBe('unknown');
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('with several workspaces the channel is reached with its own workspace’s token', async () => {
    w = await slackWorld(db(), {
      oauth: true,
      standIn: { workspaces: ['T0ROSKILDE', 'T0KOGE'].map((t) => standardWorkspace(t, t.slice(2), { installed: false })) },
    });
    for (const teamId of ['T0ROSKILDE', 'T0KOGE']) {
      const install = await fetch(`${w.web!.url}/slack/install`, { redirect: 'manual' });
      const state = new URL(install.headers.get('location')!).searchParams.get('state')!;
      const { redirect } = w.slack.oauthAuthorize({ teamId, callbackUrl: `${w.web!.url}/slack/oauth_redirect`, state });
      expect((await fetch(redirect!, { headers: { cookie: install.headers.get('set-cookie')!.split(';')[0]! } })).status).toBe(200);
    }
    const koge = w.channel('general', 'T0KOGE');
    expect(await w.adapter.notices.announce(koge, { text: 'Resultat' })).toBe(true);
    expect(w.slack.callsTo('chat.postMessage').map((c) => [c.teamId, c.response.ok ? 'ok' : c.response.error])).toEqual([
      ['T0ROSKILDE', 'channel_not_found'],
      ['T0KOGE', 'ok'],
    ]);
  });
});
