import { afterEach, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { signIn } from '../web/harness.ts';
import { failOnError } from './harness.ts';

type Message = {
  id: string;
  private: boolean;
  body?: {
    text: Array<{ text: string }>;
    cards: Array<{
      title?: string;
      body: Array<{ text: string }>;
      fields: Array<{ label: string; value: string }>;
      rows: Array<{ kind: string; buttons?: Array<{ id: string; label: string }> }>;
    }>;
  };
};

const textOf = (m: Message) =>
  [
    ...(m.body?.text ?? []).map((s) => s.text),
    ...(m.body?.cards ?? []).flatMap((c) => [c.title ?? '', ...c.body.map((s) => s.text), ...c.fields.flatMap((f) => [f.label, f.value])]),
  ].join('\n');
const button = (m: Message, label: string) => {
  const b = (m.body?.cards ?? []).flatMap((c) => c.rows.flatMap((r) => r.buttons ?? [])).find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label} in ${textOf(m)}`);
  return b.id;
};

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describeEachEngine('the flows in the built-in web chat', (db) => {
  it('a round from set-up to result, with ballots that stay private to their voter', async () => {
    const pulje = createPulje({ db: db() });
    const boot = await pulje.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Klubben', locale: 'da' },
      admin: { displayName: 'Pia', platform: 'web', externalId: 'pia' },
    });
    const admin = { personId: boot.admin.id };
    const youth = [];
    for (const name of ['Aya', 'Bo'])
      youth.push(
        (
          await pulje.setup.addMember(admin, {
            groupId: boot.group.id,
            role: 'youth',
            platform: 'web',
            externalId: name,
            displayName: name,
          })
        ).person.id,
      );
    const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError });
    server = await startWebServer({
      config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router,
      pulje,
      port: 0,
    });

    const staff = await signIn(server.url, boot.admin.id);
    const room = staff.conversations[0]!.id;
    const say = (who: typeof staff, text: string) => who.api.post(`/api/conversations/${room}/messages`, { text });
    const press = (who: typeof staff, m: Message, label: string) =>
      who.api.post(`/api/conversations/${room}/actions`, { messageId: m.id, actionId: button(m, label) });
    const fill = (who: typeof staff, form: { id: string }, fields: Record<string, string>, messageId?: string) =>
      who.api.post(`/api/conversations/${room}/forms`, { formId: form.id, fields, ...(messageId ? { messageId } : {}) });

    const opened = await say(staff, '/newround');
    const created = await fill(staff, opened.body.forms[0], { title: 'Sommerpuljen', amount: '5.000' });
    const settings: Message = created.body.messages.at(-1);
    expect(settings.private).toBe(true);
    await press(staff, settings, 'Åbn for idéer');

    const [aya, bo] = [await signIn(server.url, youth[0]!), await signIn(server.url, youth[1]!)];
    for (const [who, title, cost] of [
      [aya, 'Skatepark', '3.000'],
      [bo, 'Filmaften', '1.000'],
    ] as const) {
      const form = (await say(who, '/propose')).body.forms[0];
      await fill(who, form, { title, description: 'Godt for klubben.', cost });
    }
    const confirm: Message = (await say(staff, '/openvoting')).body.messages.at(-1);
    await press(staff, confirm, 'Ja, åbn afstemningen');

    // Each young person votes from the public card; the ballot is a private message, updated in place.
    const receipts: string[] = [];
    for (const [who, pick] of [
      [aya, '#1'],
      [bo, '#2'],
    ] as const) {
      const { body } = await who.api.get(`/api/conversations/${room}/messages`);
      const card = (body.messages as Message[]).filter((m) => !m.private && textOf(m).startsWith('Nu kan I stemme')).at(-1)!;
      const ballot: Message = (await press(who, card, 'Stem')).body.messages.at(-1);
      expect(ballot.private).toBe(true);
      const picked: Message = (await press(who, ballot, pick)).body.messages.at(-1);
      expect(picked.id).toBe(ballot.id);
      const sent: Message = (await press(who, picked, 'Send stemme')).body.messages.at(-1);
      expect(sent.id).toBe(ballot.id);
      expect(textOf(sent)).toContain('Tak – din stemme er sendt ✓');
      receipts.push((await db().prisma.ballot.findFirstOrThrow({ where: { voterId: who === aya ? youth[0] : youth[1] } })).receiptCode);
    }
    const seenBy = async (who: typeof staff) =>
      ((await who.api.get(`/api/conversations/${room}/messages?limit=500`)).body.messages as Message[]).map(textOf).join('\n');
    expect(await seenBy(aya)).toContain(receipts[0]);
    expect(await seenBy(aya)).not.toContain(receipts[1]);
    expect(await seenBy(bo)).not.toContain(receipts[0]);
    expect(await seenBy(staff)).not.toContain(receipts[0]);

    const close: Message = (await say(staff, '/close')).body.messages.at(-1);
    await press(staff, close, 'Ja, luk og tæl op');
    for (const who of [aya, bo, staff]) {
      const seen = await seenBy(who);
      expect(seen).toContain('Resultat: Sommerpuljen');
      expect(seen).toContain('Der er brugt 4.000 kr. af 5.000 kr., og der er 1.000 kr. tilbage.');
    }
  });
});
