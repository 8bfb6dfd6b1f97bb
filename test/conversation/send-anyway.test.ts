import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import {
  type ConversationDirectory,
  type FittedReply,
  type FormDraftStore,
  type InboundEventInput,
  memoryIdempotencyStore,
  Router,
  reply,
} from '../../src/conversation/index.ts';
import { discordLike } from './surfaces.ts';

// The router's own "send anyway" and "put it right" controls on a refused form's kept draft, with the layer's
// ports in memory (the database's drafts and claims are exercised by test/flows/privacy.test.ts).

const directory: ConversationDirectory = {
  person: async (identity) => ({ personId: `p-${identity.externalId}`, displayName: identity.displayName, locale: null }),
  conversation: async () => ({ conversationId: 'c1', groupId: 'g1', groupName: 'Klub', locale: 'da' }),
  role: async () => 'youth',
};

/** Drafts in memory, a fresh id each time one is kept (as the use case does). */
function memoryDrafts(): FormDraftStore {
  const rows = new Map<string, { id: string; personId: string; formId: string; fields: Record<string, string> }>();
  return {
    async keep(personId, formId, fields) {
      const id = randomUUID();
      rows.set(`${personId} ${formId}`, { id, personId, formId, fields: { ...fields } });
      return id;
    },
    get: async (personId, formId) => rows.get(`${personId} ${formId}`)?.fields ?? null,
    async find(personId, draftId) {
      const row = [...rows.values()].find((r) => r.id === draftId && r.personId === personId);
      return row ? { formId: row.formId, fields: row.fields } : null;
    },
    async drop(personId, formId) {
      rows.delete(`${personId} ${formId}`);
    },
  };
}

let n = 0;
const press = (actionId: string): InboundEventInput => ({
  kind: 'action',
  idempotencyKey: `k${++n}`,
  actor: { platform: 'discord', externalId: 'ali', displayName: 'Ali' },
  conversation: { platform: 'discord', channelId: 'room' },
  actionId,
});
const buttonsOf = (replies: FittedReply[]) =>
  replies
    .flatMap((r) => (r.kind === 'send' ? r.messages : []))
    .flatMap((m) => m.cards.flatMap((c) => c.rows.flatMap((row) => (row.kind === 'buttons' ? row.buttons : []))));
const textOf = (replies: FittedReply[]) =>
  replies
    .flatMap((r) => (r.kind === 'send' ? r.messages : []))
    .flatMap((m) => [...m.text.map((s) => s.text), ...m.cards.flatMap((c) => c.body.map((s) => s.text))])
    .join('\n');

function setup(opts: { reopen?: boolean } = {}) {
  const router = new Router({ directory, idempotency: memoryIdempotencyStore(), formDrafts: memoryDrafts() });
  const saved: string[] = [];
  let failNext = false;
  router.form({
    flow: 'note',
    verb: 'new',
    ...(opts.reopen === false
      ? {}
      : {
          reopen: {
            label: 'conversation.send_anyway' as const,
            open: () =>
              reply.form({
                action: { flow: 'note', verb: 'new' },
                title: 'Note',
                inputs: [{ name: 'text', label: 'Tekst', kind: 'long' }],
              }),
          },
        }),
    handler(_ctx, { fields }) {
      if (fields._confirm !== 'personal_data') throw new PuljeError('personal_data', {}, []);
      if (failNext) {
        failNext = false;
        throw new Error('the database went away');
      }
      saved.push(fields.text!);
      return reply.public(`Ny note: ${fields.text}`);
    },
  });
  const submit = () =>
    router.handle(
      {
        kind: 'form',
        idempotencyKey: `k${++n}`,
        actor: { platform: 'discord', externalId: 'ali', displayName: 'Ali' },
        conversation: { platform: 'discord', channelId: 'room' },
        formId: 'note:new',
        fields: { text: 'Ring på 22 33 44 55' },
      },
      { limits: discordLike },
    );
  return {
    router,
    saved,
    failOnce: () => (failNext = true),
    submit,
    press: (id: string) => router.handle(press(id), { limits: discordLike }),
  };
}

it('a resubmission that fails unexpectedly releases its claims: the next press sends, once', async () => {
  const s = setup();
  const held = await s.submit();
  const send = buttonsOf(held.replies)[0]!;
  s.failOnce();
  const failed = await s.press(send.id);
  expect(textOf(failed.replies)).toMatch(/gik galt|went wrong/i);
  expect(s.saved).toEqual([]);
  await s.press(send.id);
  await s.press(send.id);
  expect(s.saved).toEqual(['Ring på 22 33 44 55']);
});

it('a form that cannot be opened again gets only "send anyway", and the note that what was typed is kept', async () => {
  const s = setup({ reopen: false });
  const held = await s.submit();
  expect(buttonsOf(held.replies).map((b) => b.label)).toEqual(['Send alligevel']);
  expect(textOf(held.replies)).toContain('Det, du skrev, er gemt');
});

it('garbled draft controls are refused as broken buttons and act on nothing', async () => {
  const s = setup();
  await s.submit();
  for (const id of ['draft:send:nope', 'draft:send', `draft:send.2:${randomUUID()}`, `draft:edit:${randomUUID()}~1`]) {
    const answer = await s.press(id);
    expect(textOf(answer.replies), id).toMatch(/virker ikke længere/);
  }
  expect(s.saved).toEqual([]);
});
