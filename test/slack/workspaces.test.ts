import { afterEach, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { standardWorkspace } from '../support/slack/index.ts';
import { slackWorld, type SlackWorld } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const TEAMS = ['T0ROSKILDE', 'T0KOGE'] as const;

describeEachEngine('Slack in several workspaces (OAuth)', (db) => {
  it('two workspaces install Pulje through /slack/install; each is answered with its own token from the database; an uninstall removes its token', async () => {
    w = await slackWorld(db(), {
      oauth: true,
      standIn: { workspaces: TEAMS.map((t) => standardWorkspace(t, t.slice(2), { installed: false })) },
    });
    const world = w;
    for (const teamId of TEAMS) {
      const install = await fetch(`${world.web!.url}/slack/install`, { redirect: 'manual' });
      expect(install.status).toBe(302);
      const authorize = new URL(install.headers.get('location')!);
      expect(authorize.searchParams.get('scope')).toContain('commands');
      const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
      const { redirect } = world.slack.oauthAuthorize({
        teamId,
        callbackUrl: `${world.web!.url}/slack/oauth_redirect`,
        state: authorize.searchParams.get('state')!,
      });
      // Without the browser's cookie the state is not accepted (a link sent to someone else).
      expect((await fetch(redirect!, { redirect: 'manual' })).status).toBe(400);
      const callback = await fetch(redirect!, { headers: { cookie }, redirect: 'manual' });
      expect(callback.status).toBe(200);
    }
    const rows = await db().prisma.slackInstallation.findMany({ orderBy: { teamId: 'asc' } });
    expect(rows.map((r) => [r.teamId, r.botId])).toEqual([...TEAMS].sort().map((t) => [t, world.slack.workspace(t).botId]));
    // The tokens are sealed: a copy of the database holds none that Slack would take.
    for (const r of rows) {
      expect(r.botToken).toMatch(/^v1\./);
      expect(r.botToken).not.toContain(world.slack.botTokenFor(r.teamId));
    }

    // Each workspace's general channel is bound to a group of its own, with its pedagogue as staff.
    const admin = { personId: world.adminPersonId };
    for (const teamId of TEAMS) {
      const group =
        teamId === 'T0ROSKILDE'
          ? { id: world.groupId }
          : await world.pulje.setup.createGroup(admin, {
              organisationId: (await db().prisma.group.findFirstOrThrow()).organisationId,
              name: 'Køge Klub',
            });
      await world.pulje.setup.bindConversation(admin, {
        groupId: group.id,
        platform: 'slack',
        channelId: world.channel('general', teamId),
      });
      await world.pulje.setup.addMember(admin, {
        groupId: group.id,
        role: 'staff',
        platform: 'slack',
        externalId: world.user('kari', teamId),
        displayName: 'Kari',
      });
    }
    let n = 0;
    for (const teamId of TEAMS) {
      await world.slack.sendSlashCommand({
        teamId,
        userId: world.user('kari', teamId),
        text: 'nyrunde',
        channelId: world.channel('general', teamId),
      });
      await world.settled(++n);
    }
    // Each modal was opened with that workspace's token (a token reaches only its own workspace).
    expect(world.slack.callsTo('views.open').map((c) => [c.teamId, c.response.ok])).toEqual(TEAMS.map((t) => [t, true]));

    // Køge removes the app: its tokens are revoked, Slack says so, and Pulje forgets the installation.
    const deliveries = await world.slack.uninstall('T0KOGE');
    expect(deliveries.map((d) => [d.envelope.event && (d.envelope.event as { type: string }).type, d.delivered])).toEqual([
      ['app_uninstalled', true],
      ['tokens_revoked', true],
    ]);
    await world.settled(n + 2);
    expect(await db().prisma.slackInstallation.count()).toBe(1);
    expect(await db().prisma.slackInstallation.findUnique({ where: { teamId: 'T0ROSKILDE' } })).not.toBeNull();
    // A command from Køge now finds no installation: Bolt acknowledges it and nothing is done.
    const after = await world.slack.sendSlashCommand({
      teamId: 'T0KOGE',
      userId: world.user('kari', 'T0KOGE'),
      text: 'nyrunde',
      channelId: world.channel('general', 'T0KOGE'),
    });
    expect(after.status).toBe(200);
    expect(world.slack.callsTo('views.open')).toHaveLength(2);
    expect(world.slack.takeViolations()).toEqual([]);
    expect(world.slack.takeErrors()).toEqual([]);
  });
});
