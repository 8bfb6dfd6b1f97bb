import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROPOSE_SHORTCUT } from '../../adapters/slack/inbound.ts';
import { BOT_SCOPES } from '../../adapters/slack/oauth.ts';

const read = (file: string) => JSON.parse(readFileSync(`adapters/slack/${file}`, 'utf8'));

describe('the Slack app manifests', () => {
  for (const file of ['manifest.json', 'manifest.socket.json']) {
    it(`${file}: the scopes the OAuth install asks for, /pulje with escaping, interactivity, the events the adapter listens to, the Home tab`, () => {
      const m = read(file);
      expect(m.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
      // should_escape: a user group named in /pulje bind arrives as <!subteam^S…|@name>, which the adapter reads.
      expect(m.features.slash_commands).toMatchObject([{ command: '/pulje', should_escape: true }]);
      expect(m.settings.interactivity.is_enabled).toBe(true);
      expect(m.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
      expect(m.features.app_home.home_tab_enabled).toBe(true);
      expect(m.features.shortcuts).toMatchObject([{ type: 'message', callback_id: PROPOSE_SHORTCUT }]);
      expect(m.settings.socket_mode_enabled).toBe(file === 'manifest.socket.json');
      // HTTP mode: every request URL is Pulje's one endpoint on the web chat's server.
      if (file === 'manifest.json') {
        for (const u of [
          m.features.slash_commands[0].url,
          m.settings.interactivity.request_url,
          m.settings.event_subscriptions.request_url,
        ])
          expect(new URL(u).pathname).toBe('/slack/events');
        expect(new URL(m.oauth_config.redirect_urls[0]).pathname).toBe('/slack/oauth_redirect');
      }
    });
  }
});
