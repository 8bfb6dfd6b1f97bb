import slackOauth, { type Installation, type InstallationQuery, type InstallationStore } from '@slack/oauth';
import { webApi } from '@slack/bolt';
import { html, type Logger } from '../../src/conversation/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { openToken, sealToken } from './sealed.ts';

/**
 * The bot scopes Pulje asks for, each for one thing it does (README, "Slack"): the slash command, posting answers,
 * opening DMs for receipts, reading who is a workspace admin, and who is in the staff user group. manifest.json
 * lists the same (a test checks).
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'usergroups:read'];

// A CommonJS package: Node's ESM loader sees only its default export.
const { ClearStateStore } = slackOauth;
const STATE_COOKIE = 'pulje-slack-oauth-state';
const STATE_SECONDS = 600;

/** Where a query's installation is kept: the org for an org-wide install, else the workspace. */
const keyOf = (q: InstallationQuery<boolean>) => (q.isEnterpriseInstall ? q.enterpriseId : q.teamId) ?? '';

/**
 * @slack/oauth's InstallationStore on Pulje's database, through the slackInstallations use cases; bot tokens are
 * sealed with `secret` (sealed.ts).
 */
export function databaseInstallationStore(
  pulje: Pulje,
  secret: string,
): InstallationStore & { list(): Promise<Array<{ botToken: string }>> } {
  return {
    /** Every installation's bot token, opened (for Pulje's own notices). */
    async list() {
      return (await pulje.slackInstallations.list()).map((i) => ({ botToken: openToken(secret, i.botToken) }));
    },
    async storeInstallation(i) {
      const teamId = (i.isEnterpriseInstall ? i.enterprise?.id : i.team?.id) ?? '';
      if (!i.bot) throw new Error('slack: an installation without a bot token');
      await pulje.slackInstallations.save({
        teamId,
        enterprise: i.enterprise?.id ?? null,
        appId: i.appId ?? null,
        botToken: sealToken(secret, i.bot.token),
        botId: i.bot.id,
        botUserId: i.bot.userId,
        scopes: i.bot.scopes,
        installedBy: i.user.id,
        rest: { teamName: i.team?.name ?? null, isEnterpriseInstall: i.isEnterpriseInstall ?? false },
      });
    },
    async fetchInstallation(query) {
      const found = await pulje.slackInstallations.find({ teamId: keyOf(query) || '-' });
      if (!found) throw new Error(`slack: no installation for ${keyOf(query)}`);
      const enterprise = found.enterprise ? { id: found.enterprise } : undefined;
      const isEnterpriseInstall = found.rest.isEnterpriseInstall === true;
      return {
        team: isEnterpriseInstall ? undefined : { id: found.teamId },
        enterprise,
        user: { id: found.installedBy ?? '', token: undefined, scopes: undefined },
        bot: { token: openToken(secret, found.botToken), scopes: found.scopes, id: found.botId ?? '', userId: found.botUserId },
        ...(found.appId ? { appId: found.appId } : {}),
        tokenType: 'bot',
        isEnterpriseInstall,
        authVersion: 'v2',
      } as Installation<'v2', boolean>;
    },
    async deleteInstallation(query) {
      await pulje.slackInstallations.remove({ teamId: keyOf(query) || '-' });
    },
  };
}

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Signs the state parameter (at least 32 characters). */
  stateSecret: string;
  /** PULJE_PUBLIC_URL + /slack/oauth_redirect; unset: the app's configured Redirect URL. */
  redirectUri?: string;
  /** Slack's (GovSlack's) Web API base; the authorize page is beside it. */
  apiUrl?: string;
  store: InstallationStore;
  log: Logger;
  /** Secure cookies (the public URL is https). */
  secure: boolean;
}

const page = (status: number, title: string, text: string) =>
  new Response(
    html.tag`<!doctype html><html lang="da"><meta charset="utf-8"><title>${title}</title><body><h1>${title}</h1><p>${text}</p></body></html>`
      .value,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * "Add to Slack" for several workspaces (https://docs.slack.dev/authentication/installing-with-oauth):
 * `/slack/install` sends the browser to Slack's authorize page with a signed, short-lived state that is also set
 * as a cookie; `/slack/oauth_redirect` checks both, trades the code for the bot token (oauth.v2.access) and keeps
 * the installation in Pulje's database.
 */
export function oauthRoutes(o: OAuthOptions): Record<string, (request: Request) => Promise<Response>> {
  const states = new ClearStateStore(o.stateSecret, STATE_SECONDS);
  const api = o.apiUrl ?? 'https://slack.com/api/';
  const authorizeUrl = new URL('../oauth/v2/authorize', api).toString();
  const client = new webApi.WebClient(undefined, { slackApiUrl: api });
  const installOptions = { scopes: BOT_SCOPES, ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}) };
  const cookieAttrs = `Path=/slack; HttpOnly; SameSite=Lax; Max-Age=${STATE_SECONDS}${o.secure ? '; Secure' : ''}`;
  return {
    '/slack/install': async () => {
      const state = await states.generateStateParam(installOptions, new Date());
      const url = new URL(authorizeUrl);
      url.searchParams.set('client_id', o.clientId);
      url.searchParams.set('scope', BOT_SCOPES.join(','));
      url.searchParams.set('state', state);
      if (o.redirectUri) url.searchParams.set('redirect_uri', o.redirectUri);
      return new Response(null, {
        status: 302,
        headers: { location: url.toString(), 'set-cookie': `${STATE_COOKIE}=${encodeURIComponent(state)}; ${cookieAttrs}` },
      });
    },
    '/slack/oauth_redirect': async (request) => {
      const q = new URL(request.url).searchParams;
      if (q.get('error')) return page(400, 'Pulje blev ikke installeret', `Slack: ${q.get('error')}`);
      const code = q.get('code');
      const state = q.get('state');
      if (!code || !state || cookie(request, STATE_COOKIE) !== state) {
        return page(
          400,
          'Pulje blev ikke installeret',
          'Linket er udløbet eller blev åbnet i en anden browser. Start forfra fra /slack/install.',
        );
      }
      try {
        await states.verifyStateParam(new Date(), state);
      } catch {
        return page(400, 'Pulje blev ikke installeret', 'Linket er udløbet. Start forfra fra /slack/install.');
      }
      try {
        const r = await client.oauth.v2.access({
          client_id: o.clientId,
          client_secret: o.clientSecret,
          code,
          ...(o.redirectUri ? { redirect_uri: o.redirectUri } : {}),
        });
        if (!r.access_token || !r.bot_user_id) throw new Error('slack: oauth.v2.access gave no bot token');
        // The bot's own id (B…) is not in the answer; auth.test with the new token has it.
        const who = await client.auth.test({ token: r.access_token });
        await o.store.storeInstallation({
          team: r.team?.id ? { id: r.team.id, ...(r.team.name ? { name: r.team.name } : {}) } : undefined,
          enterprise: r.enterprise?.id ? { id: r.enterprise.id } : undefined,
          user: { id: r.authed_user?.id ?? '', token: undefined, scopes: undefined },
          bot: { token: r.access_token, scopes: (r.scope ?? '').split(',').filter(Boolean), id: who.bot_id ?? '', userId: r.bot_user_id },
          ...(r.app_id ? { appId: r.app_id } : {}),
          tokenType: 'bot',
          isEnterpriseInstall: r.is_enterprise_install ?? false,
          authVersion: 'v2',
        } as Installation<'v2', boolean>);
        o.log.info({ teamId: r.team?.id }, 'slack: installed in a workspace');
        return page(
          200,
          'Pulje er installeret',
          `Pulje er nu med i ${r.team?.name ?? 'jeres workspace'}. Skriv /pulje i en kanal for at gå i gang.`,
        );
      } catch (error) {
        o.log.warn({ err: error }, 'slack: an installation failed');
        return page(502, 'Pulje blev ikke installeret', 'Slack sagde nej. Prøv igen fra /slack/install.');
      }
    },
  };
}
