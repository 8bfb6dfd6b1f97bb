import { afterEach, expect, it } from 'vitest';
import { testFlows } from '../discord/flows.ts';
import { describeEachEngine } from '../support/databases.ts';
import { standardWorkspace } from '../support/slack/index.ts';
import { readable, slackWorld, type SlackWorld } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const TEAM = 'T0PULJE01';
const base = standardWorkspace(TEAM, 'Pulje Test');
/** The standard workspace with an owner Pulje does not know, and someone who took a pedagogue's display name. */
const workspace = {
  ...base,
  users: [
    ...base.users!,
    { id: 'U0PULJE01BOSS', name: 'boss', displayName: 'Chefen', isOwner: true },
    { id: 'U0PULJE01FAKE', name: 'fake', displayName: 'Kari (pædagog)' },
  ],
  channels: base.channels!.map((c) => (c.name === 'general' ? { ...c, members: [...c.members!, 'U0PULJE01BOSS', 'U0PULJE01FAKE'] } : c)),
};

describeEachEngine('staff on Slack', (db) => {
  it('members of the user group named with /pulje kobl and workspace owners/admins join as staff; everyone else, a look-alike name too, as young people', async () => {
    w = await slackWorld(db(), { flows: (router) => testFlows(router), standIn: { workspaces: [workspace] } });
    const general = w.channel('general');
    const whoami = async (userId: string) => {
      const n = w!.reports.length + 1;
      const d = await w!.slack.sendSlashCommand({ userId, text: 'whoami', channelId: general });
      await w!.settled(n);
      return readable(d.ack as never);
    };
    await w.pulje.setup.bindConversation(
      { personId: w.adminPersonId },
      { groupId: w.groupId, platform: 'slack', channelId: general, staffRoleId: w.staffGroup() },
    );
    expect(await whoami(w.user('kari'))).toBe('Kari (pædagog)|staff|-|Klubben');
    expect(await whoami('U0PULJE01BOSS')).toBe('Chefen|staff|server_admin|Klubben');
    expect(await whoami('U0PULJE01FAKE')).toBe('Kari (pædagog)|youth|-|Klubben');
    expect(await whoami(w.user('ida'))).toBe('Ida|youth|-|Klubben');
    // Looked up once each (cached), with the scopes the manifest asks for.
    expect(await whoami(w.user('kari'))).toBe('Kari (pædagog)|staff|-|Klubben');
    expect(w.slack.callsTo('usergroups.users.list').map((c) => [c.args.usergroup, c.response.ok])).toEqual([[w.staffGroup(), true]]);
    expect(w.slack.callsTo('users.info').map((c) => c.response.ok)).toEqual([true, true, true, true]);
    expect(w.log.problems()).toEqual([]);
  });
});
