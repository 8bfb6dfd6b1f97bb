import { afterEach, expect, it } from 'vitest';
import { Hub } from '../../adapters/web/hub.ts';
import { webNotices } from '../../adapters/web/notices.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import type { AlertLine } from '../../src/flows/safeguarding.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { failOnError } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { signIn } from '../web/harness.ts';

// Crisis signposting over the web chat's HTTP API: the answer is in the response to the very request that sent the
// message, private; the staff alert is a private message in the staff member's web room.

type Message = { id: string; private: boolean; author: string; body?: unknown; text?: string };
const textOf = (m: Message) => JSON.stringify(m);

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

export async function webWorld(db: Parameters<typeof createPulje>[0]['db']) {
  const pulje = createPulje({ db });
  const boot = await pulje.setup.createOrganisation({
    name: 'Dragør Kommune',
    group: { name: 'Det Nære Netværk', locale: 'da' },
    admin: { displayName: 'Mette', platform: 'web', externalId: 'mette' },
  });
  const admin = { personId: boot.admin.id };
  const add = async (name: string, role: 'youth' | 'staff') =>
    (await pulje.setup.addMember(admin, { groupId: boot.group.id, role, platform: 'web', externalId: name, displayName: name })).person.id;
  const people = { aya: await add('Aya', 'youth'), bo: await add('Bo', 'youth'), pia: await add('Pia', 'staff') };
  const hub = new Hub();
  const alerts: AlertLine = { notifier: undefined };
  const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError, alerts });
  server = await startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
    router,
    pulje,
    port: 0,
    hub,
  });
  alerts.notifier = createNotifier([webNotices({ pulje, hub })], pulje.notices);
  return { pulje, boot, people, url: server.url };
}

describeEachEngine('crisis signposting in the web chat', (db) => {
  it('the answer comes back with the request, privately; Pia gets a private alert without the words; Bo sees neither', async () => {
    const w = await webWorld(db());
    const aya = await signIn(w.url, w.people.aya);
    const bo = await signIn(w.url, w.people.bo);
    const pia = await signIn(w.url, w.people.pia);
    const room = aya.conversations[0]!.id;
    const sent = await aya.api.post(`/api/conversations/${room}/messages`, { text: 'I want to kill myself tonight' });
    expect(sent.status).toBe(200);
    const answers: Message[] = sent.body.messages.filter((m: Message) => m.author === 'pulje');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.private).toBe(true);
    expect(textOf(answers[0]!)).toContain('Tak, fordi du skriver det');
    expect(textOf(answers[0]!)).toContain('116 111');

    const piaSees: Message[] = (await pia.api.get(`/api/conversations/${room}/messages`)).body.messages;
    const alert = piaSees.filter((m) => m.author === 'pulje' && m.private);
    expect(alert).toHaveLength(1);
    expect(textOf(alert[0]!)).toContain('Måske brug for støtte: Aya');
    expect(textOf(alert[0]!)).not.toContain('kill myself');
    const boSees: Message[] = (await bo.api.get(`/api/conversations/${room}/messages`)).body.messages;
    expect(boSees.filter((m) => m.author === 'pulje')).toHaveLength(0);
    // Pulje posted nothing public.
    expect(piaSees.filter((m) => m.author === 'pulje' && !m.private)).toHaveLength(0);
  });
});
