import type { ClientOptions } from 'discord.js';
import { connectStandIn } from '../support/discord/client.ts';
import type { DiscordStandIn, DiscordStandInOptions } from '../support/discord/index.ts';

/*
 * The global commands the self-tests invoke. A simulated user can only run a registered command (as on Discord),
 * so they are registered before each test, as an earlier deploy would have done.
 */
export const SELF_TEST_COMMANDS: Array<Record<string, unknown>> = [
  { name: 'status', description: 'Hvordan går det?' },
  { name: 'resultat', description: 'Vis resultatet' },
  { name: 'afstemning', description: 'Start en afstemning' },
  { name: 'optælling', description: 'Tæl stemmerne op' },
  { name: 'eksport', description: 'Eksportér runden' },
  { name: 'stem', description: 'Stem' },
  { name: 'runde', description: 'Om runden' },
  { name: 'forslag', description: 'Nyt forslag', options: [{ type: 3, name: 'titel', description: 'Titel' }] },
  {
    name: 'find',
    description: 'Find noget',
    options: [
      {
        type: 1,
        name: 'forslag',
        description: 'Find et forslag',
        options: [{ type: 3, name: 'titel', description: 'Titel', autocomplete: true }],
      },
    ],
  },
];

/** connectStandIn with the self-tests' commands registered globally. */
export function connect(options: DiscordStandInOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  return connectStandIn({ commands: SELF_TEST_COMMANDS, ...options }, clientOptions);
}

/** A raw request to the stand-in's REST API, as any HTTP client would send it (no discord.js in between). */
export async function raw(
  discord: DiscordStandIn,
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${discord.apiBase}/v10${path}`, {
    method,
    headers: {
      ...(opts.auth === false ? {} : { authorization: `Bot ${discord.token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
