import { PuljeError } from '../../src/core/errors.ts';
import { reply, type Router } from '../../src/conversation/index.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import type { Database } from '../../src/db/database.ts';
import { seedVotingGroup } from '../../bench/seed.ts';
import type { TestDatabase } from '../support/databases.ts';
import { startWebServer, type WebConfig, type WebServer, type WebServerOptions } from '../../adapters/web/server.ts';

export const SECRET = 'test-secret-that-is-long-enough-0123456789';

/** One organisation, a group with two young people and a pedagogue, and a stranger in no group. */
export async function seed(db: Database) {
  const p = db.prisma;
  await p.organisation.create({ data: { id: 'org', name: 'Roskilde' } });
  await p.group.create({ data: { id: 'g1', organisationId: 'org', name: 'Klubben <Syd>' } });
  await p.group.create({ data: { id: 'g2', organisationId: 'org', name: 'Andre', locale: 'en' } });
  const people = [
    ['ali', 'Ali <b>x</b>', 'g1', 'youth'],
    ['sara', 'Sara', 'g1', 'youth'],
    ['mette', 'Mette', 'g1', 'staff'],
    ['other', 'Other', 'g2', 'youth'],
  ] as const;
  for (const [id, name, group, role] of people) {
    await p.person.create({ data: { id, organisationId: 'org', displayName: name } });
    await p.membership.create({ data: { id: `m-${id}`, personId: id, groupId: group, role } });
  }
  await p.person.create({ data: { id: 'stranger', organisationId: 'org', displayName: 'Stranger' } });
}

/** A small flow with every kind of control, standing in for the real flows that come later. */
export function testFlows(router: Router) {
  let yes = 0;
  router
    .command({
      name: 'poll',
      description: 'command.help.description',
      handler: () =>
        reply.public({
          cards: [
            {
              title: 'Poll',
              controls: [
                { kind: 'button', action: { flow: 'poll', verb: 'yes' }, label: 'Ja', style: 'success' },
                {
                  kind: 'select',
                  action: { flow: 'poll', verb: 'pick' },
                  options: [
                    { value: 'a', label: 'A' },
                    { value: 'b', label: 'B' },
                  ],
                },
              ],
            },
          ],
        }),
    })
    .action({
      flow: 'poll',
      verb: 'yes',
      handler: () =>
        reply.update({
          cards: [{ title: `Ja: ${++yes}`, controls: [{ kind: 'button', action: { flow: 'poll', verb: 'yes' }, label: 'Ja' }] }],
        }),
    })
    .action({ flow: 'poll', verb: 'pick', handler: (_ctx, { values }) => reply.private(`valgt ${values.join(',')}`) })
    .command({
      name: 'idea',
      description: 'command.help.description',
      roles: ['youth'],
      handler: () =>
        reply.form({
          action: { flow: 'idea', verb: 'save' },
          title: 'Ny idé',
          inputs: [{ name: 'title', label: 'Titel', kind: 'short', required: true }],
        }),
    })
    .form({
      flow: 'idea',
      verb: 'save',
      handler: (ctx, { fields }) => {
        if (!fields.title)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.required', params: { field: { key: 'field.title' } } }]);
        return reply.public(`${ctx.person.displayName}: ${fields.title}`);
      },
    });
  return { yesCount: () => yes };
}

export async function startTestServer(
  db: Database,
  config: Partial<WebConfig> = {},
  register?: (router: Router) => void,
  extra: Pick<WebServerOptions, 'load'> = {},
): Promise<WebServer> {
  const pulje = createPulje({ db });
  const router = createRouter({ pulje, defaultLocale: 'da', flows: false });
  testFlows(router);
  register?.(router);
  return startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da', ...config },
    router,
    pulje,
    port: 0,
    ...extra,
  });
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A scripted member: signs in, then calls the API with a bearer token like any outside script would. */
export function client(base: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const res = await fetch(base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // HTML or empty
    }
    return { status: res.status, body: json, headers: res.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    delete: (path: string) => call('DELETE', path),
  };
}

export async function signIn(base: string, personId: string) {
  const res = await client(base).post('/api/session', { personId });
  if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
  const api = client(base, res.body.token);
  const { body } = await api.get('/api/conversations');
  return {
    api,
    token: res.body.token as string,
    conversations: body.conversations as Array<{ id: string; groupId: string; groupName: string; role: string }>,
  };
}

/** Reads an SSE stream until `until` says it has enough, or the time runs out. */
export async function readEvents(
  url: string,
  token: string,
  until: (events: Array<{ event: string; data: any; id?: string }>) => boolean,
  ms = 5000,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const events: Array<{ event: string; data: any; id?: string }> = [];
  let ready: () => void = () => {};
  const opened = new Promise<void>((r) => (ready = r));
  const done = (async () => {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      ready();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: { event: string; data: any; id?: string } = { event: 'message', data: undefined };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
            else if (line.startsWith('id: ')) e.id = line.slice(4);
          }
          if (e.data !== undefined) events.push(e);
        }
        if (until(events)) break;
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return events;
  })();
  await opened;
  return { done };
}

/** The buttons on a web message's cards. */
export const cardButtons = (m: any): Array<{ id: string }> =>
  (m?.body?.cards ?? []).flatMap((c: any) => c.rows.flatMap((r: any) => (r.kind === 'buttons' ? r.buttons : [])));

/** The real router and web server over a voting group seeded as the bench seeds it (bench/seed.ts). */
export async function startBallotServer(db: TestDatabase, voters: number, proposals: number, settings?: Record<string, unknown>) {
  const pulje = createPulje({ db });
  const seeded = await seedVotingGroup(pulje, voters, proposals, settings);
  const web = await startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da', PULJE_RATE_LIMITS: 'off' },
    router: createRouter({ pulje, defaultLocale: 'da' }),
    pulje,
    port: 0,
  });
  return { pulje, web, ...seeded };
}
