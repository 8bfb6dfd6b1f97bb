/**
 * Everything that leaves the Pulje process, in one place (issue 15 item 5): who receives it, what is sent, when,
 * and how it is limited. The data-protection section of the README is written from this list, and
 * test/safeguarding/outbound.test.ts checks that every module that talks to a third party is named here.
 */
export interface DataFlow {
  id: string;
  /** Who receives it. */
  recipient: string;
  /** What is sent. */
  what: string;
  /** When. */
  when: string;
  /** How it is kept small: redaction, visibility, opt-in. */
  limits: string;
  /** The modules that send it (paths from the repository root). */
  modules: readonly string[];
}

export const DATA_LEAVING: readonly DataFlow[] = [
  {
    id: 'model',
    recipient: 'The language model endpoint in OPENAI_BASE_URL (OpenAI, or a self-hosted OpenAI-compatible server)',
    what: 'Discussion messages for /summary, a staff member’s situation for /sparring, and — only if an organisation turns it on — a message the crisis phrase lists found nothing in',
    when: 'Only when OPENAI_* is configured, and only on those requests',
    limits:
      'Redacted first (src/privacy: names of members as "Deltager A", phone numbers, CPR, addresses, e-mail, IBAN …) and fenced; the answer is JSON in a fixed shape; nothing is sent without OPENAI_* (every feature has an offline fallback)',
    modules: ['adapters/model/openai.ts'],
  },
  {
    id: 'discord',
    recipient: 'Discord (Discord Inc., USA), when DISCORD_TOKEN is set',
    what: 'Pulje’s answers and cards in bound channels (public: rounds, ideas, results, staff decisions with the reason masked); private answers as ephemeral replies or DMs (ballots, receipts, crisis help, staff alerts); command registration',
    when: 'In answer to people, and Pulje’s own notices (results at deadlines, reminders, digests, crisis alerts to staff)',
    limits:
      'Public cards never name who proposed an idea or how anyone voted; crisis answers and alerts are private and never carry the message text; Discord already holds what people write there',
    modules: [
      'adapters/discord/client.ts',
      'adapters/discord/commands.ts',
      'adapters/discord/direct.ts',
      'adapters/discord/interactions.ts',
      'adapters/discord/messages.ts',
      'adapters/discord/notices.ts',
      'adapters/discord/retire.ts',
      'adapters/discord/surface.ts',
      'adapters/discord/shards.ts',
    ],
  },
  {
    id: 'slack',
    recipient: 'Slack (Salesforce), when SLACK_* is set',
    what: 'The same as on Discord, in Slack’s form',
    when: 'The same as on Discord',
    limits: 'The same as on Discord; the OAuth install keeps only the workspace’s bot token and ids',
    modules: [
      'adapters/slack/index.ts',
      'adapters/slack/listeners.ts',
      'adapters/slack/notices.ts',
      'adapters/slack/oauth.ts',
      'adapters/slack/receiver.ts',
      'adapters/slack/retire.ts',
      'adapters/slack/surface.ts',
    ],
  },
  {
    id: 'web',
    recipient: 'The browsers of signed-in people (Pulje’s own web chat)',
    what: 'The group’s room (public messages) and each person’s own private messages; /mydata pages',
    when: 'On request and as a live stream to open pages',
    limits: 'Private messages only to their recipient; a /mydata link works once for an hour',
    modules: ['adapters/web/server.ts'],
  },
];
