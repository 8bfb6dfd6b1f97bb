import { MemoryInstallationStore } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBolt, startBoltHttp } from '../support/slack/bolt.ts';
import { type SlackStandIn, standardWorkspace, startSlackStandIn } from '../support/slack/index.ts';

let slack: SlackStandIn | undefined;
let bolt: RunningBolt | undefined;
afterEach(async () => {
  await bolt?.stop();
  await slack?.close();
  bolt = undefined;
  slack = undefined;
});

describe('Slack stand-in OAuth install with the real Bolt App (HTTPReceiver, InstallProvider)', () => {
  it('installs into two workspaces through /slack/install and /slack/oauth_redirect; each then gets answers with its own token', async () => {
    slack = await startSlackStandIn({
      workspaces: [
        standardWorkspace('T0ROSKILDE', 'Roskilde', { installed: false }),
        standardWorkspace('T0BALLERUP', 'Ballerup', { installed: false }),
      ],
    });
    const store = new MemoryInstallationStore();
    bolt = await startBoltHttp(
      slack,
      (app) => {
        app.command('/pulje', async ({ ack, command, client }) => {
          await ack();
          await client.chat.postMessage({ channel: command.channel_id, text: `Hej fra ${command.team_domain}` });
        });
      },
      {
        clientId: slack.clientId,
        clientSecret: slack.clientSecret,
        stateSecret: 'state-secret-for-tests',
        scopes: ['commands', 'chat:write'],
        installationStore: store,
        installerOptions: { directInstall: true },
      },
    );
    const base = bolt.requestUrl!.replace(/\/slack\/events$/, '');
    const redirectUri = `${base}/slack/oauth_redirect`;
    for (const teamId of ['T0ROSKILDE', 'T0BALLERUP']) {
      const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
      expect(install.status).toBe(302);
      const authorizeUrl = new URL(install.headers.get('location')!);
      const state = authorizeUrl.searchParams.get('state')!;
      expect(authorizeUrl.searchParams.get('client_id')).toBe(slack.clientId);
      const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
      // The person approves in Slack; Slack sends the browser back with a code.
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBeNull();
      const { redirect } = slack.oauthAuthorize({ teamId, callbackUrl: redirectUri, state });
      const callback = await fetch(redirect!, { headers: { cookie }, redirect: 'manual' });
      expect(callback.status).toBe(200);
    }
    expect(slack.callsTo('oauth.v2.access').map((c) => c.response.ok)).toEqual([true, true]);
    const roskilde = await store.fetchInstallation({ teamId: 'T0ROSKILDE', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(roskilde.bot?.token).toBe(slack.botTokenFor('T0ROSKILDE'));
    expect(roskilde.bot?.id).toBe(slack.workspace('T0ROSKILDE').botId);

    for (const teamId of ['T0ROSKILDE', 'T0BALLERUP']) {
      const d = await slack.sendSlashCommand({ teamId, text: 'help' });
      expect(d.status).toBe(200);
      const m = await slack.waitForMessage(d.responseUrl.channelId, () => true, teamId);
      expect(m.text).toBe(`Hej fra ${slack.workspace(teamId).domain}`);
    }
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((c) => c.teamId)).toEqual(['T0ROSKILDE', 'T0BALLERUP']);
  });

  it('uninstall revokes the workspace’s token and delivers app_uninstalled and tokens_revoked', async () => {
    slack = await startSlackStandIn();
    const events: string[] = [];
    bolt = await startBoltHttp(
      slack,
      (app) => {
        app.event('app_uninstalled', async ({ event }) => {
          events.push(event.type);
        });
        app.event('tokens_revoked', async ({ event }) => {
          events.push(`${event.type}:${event.tokens.bot?.join(',')}`);
        });
        // processBeforeResponse: the HTTP answer waits for the listener, so a delivered event has been handled.
      },
      { processBeforeResponse: true },
    );
    const token = slack.botToken;
    const deliveries = await slack.uninstall(slack.teamId);
    expect(deliveries.map((d) => d.delivered)).toEqual([true, true]);
    expect(events).toEqual(['app_uninstalled', `tokens_revoked:${slack.workspace().botUserId}`]);
    await expect(bolt.app.client.auth.test({ token })).rejects.toMatchObject({ data: { error: 'token_revoked' } });
  });
});
