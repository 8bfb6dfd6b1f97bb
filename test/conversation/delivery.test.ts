import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ConversationDirectory,
  deliver,
  type FittedForm,
  type FittedMessage,
  fitReply,
  type InboundEventInput,
  memoryIdempotencyStore,
  type Reply,
  type ReplyRef,
  Router,
  reply,
  type Surface,
  serve,
} from '../../src/conversation/index.ts';
import { t } from '../../src/i18n/index.ts';
import { discordLike } from './surfaces.ts';

// The one delivery path and the one deadline helper, on a surface that records every call.

type Call = [string, ...unknown[]];

function recordingSurface(
  opts: { fleeting?: boolean; source?: 'private' | 'public' | null; formOk?: boolean; dm?: 'sent' | 'closed'; editOk?: boolean } = {},
) {
  const calls: Call[] = [];
  let n = 0;
  const ref = (): ReplyRef => ({ platform: 'discord', channelId: 'c', messageId: `m${++n}` });
  const text = (m: FittedMessage) => [...m.text.map((s) => s.text), ...m.cards.map((c) => c.title ?? '')].join('');
  const surface: Surface & { lostAfter?: number } = {
    limits: discordLike,
    fleetingPrivate: opts.fleeting ?? false,
    async postPublic(m) {
      calls.push(['public', text(m)]);
      return ref();
    },
    async postPrivate(m) {
      calls.push(['private', text(m)]);
      return ref();
    },
    async updateSource(m) {
      calls.push(['update', text(m)]);
      return opts.source === null || opts.source === undefined ? null : { ref: ref(), private: opts.source === 'private' };
    },
    async edit(r, m) {
      calls.push(['edit', r.messageId, text(m)]);
      return opts.editOk ?? true;
    },
    async openForm(f: FittedForm) {
      calls.push(['form', f.title]);
      return opts.formOk ?? true;
    },
    async directMessage(ms) {
      calls.push(['dm', ms.length]);
      return opts.dm ?? 'sent';
    },
    async openThread(r, name) {
      calls.push(['thread', r.messageId, name]);
    },
    async acknowledge() {
      calls.push(['ack']);
    },
  };
  return { surface, calls };
}

const form = (title: string): Reply =>
  reply.form({ action: { flow: 'f', verb: title.toLowerCase() }, title, inputs: [{ name: 'x', label: 'X', kind: 'short' }] });
const fitted = (replies: Reply[]) => replies.map((r) => fitReply(r, discordLike));

describe('deliver: the one delivery path', () => {
  it('opens the first form before anything else, drops a second, and shows updates before sends', async () => {
    const { surface, calls } = recordingSurface({ source: 'private' });
    await deliver(surface, fitted([reply.private('a'), reply.update('u'), form('F1'), form('F2'), reply.public('b')]), { locale: 'da' });
    expect(calls).toEqual([
      ['form', 'F1'],
      ['update', 'u'],
      ['private', 'a'],
      ['public', 'b'],
    ]);
  });

  it('tells the person privately when a form can no longer be opened', async () => {
    const { surface, calls } = recordingSurface({ formOk: false });
    await deliver(surface, fitted([form('F')]), { locale: 'en' });
    expect(calls).toEqual([
      ['form', 'F'],
      ['private', t('en', 'conversation.form_unavailable')],
    ]);
  });

  it('shows an update without a replaceable source, and an edit that fails, as a fresh private answer', async () => {
    const { surface, calls } = recordingSurface({ source: null, editOk: false });
    const ref: ReplyRef = { platform: 'discord', channelId: 'c', messageId: 'old' };
    await deliver(surface, fitted([reply.update('u'), reply.edit(ref, 'e')]), { locale: 'da' });
    expect(calls).toEqual([
      ['update', 'u'],
      ['private', 'u'],
      ['edit', 'old', 'e'],
      ['private', 'e'],
    ]);
  });

  it('opens a thread on a public card that invites discussion, never on a private one', async () => {
    const { surface, calls } = recordingSurface();
    const card = { title: 'Idé #3', discussion: 'Idé #3: Skaterampe' };
    await deliver(surface, fitted([reply.public({ cards: [card] }), reply.private({ cards: [card] })]), { locale: 'da' });
    expect(calls).toEqual([
      ['public', 'Idé #3'],
      ['thread', 'm1', 'Idé #3: Skaterampe'],
      ['private', 'Idé #3'],
    ]);
  });

  it('keeps a copy of a card worth keeping by DM where private answers are fleeting, and says so when DMs are closed', async () => {
    const keep = reply.private({ cards: [{ title: 'Kvittering', keep: true }] });
    const lasting = recordingSurface({ fleeting: false });
    await deliver(lasting.surface, fitted([keep]), { locale: 'da' });
    expect(lasting.calls).toEqual([['private', 'Kvittering']]);

    const fleeting = recordingSurface({ fleeting: true });
    await deliver(fleeting.surface, fitted([keep]), { locale: 'da' });
    expect(fleeting.calls).toEqual([
      ['private', 'Kvittering'],
      ['dm', 1],
    ]);

    const closed = recordingSurface({ fleeting: true, dm: 'closed', source: 'private' });
    await deliver(closed.surface, fitted([reply.update({ cards: [{ title: 'Kvittering', keep: true }] })]), { locale: 'da' });
    expect(closed.calls).toEqual([
      ['update', 'Kvittering'],
      ['dm', 1],
      ['private', t('da', 'conversation.dm_closed')],
    ]);
  });

  it('stops as soon as the platform refuses further answers', async () => {
    const { surface, calls } = recordingSurface();
    let lost = false;
    const lossy: Surface = {
      ...surface,
      get lost() {
        return lost;
      },
      async postPrivate(m) {
        lost = true;
        return surface.postPrivate(m);
      },
    };
    await deliver(lossy, fitted([reply.private('a'), reply.private('b'), reply.public('c')]), { locale: 'da' });
    expect(calls).toEqual([['private', 'a']]);
  });
});

const directory: ConversationDirectory = {
  person: async (identity) => ({ personId: `p-${identity.externalId}`, displayName: identity.displayName, locale: null }),
  conversation: async () => ({ conversationId: 'c1', groupId: 'g1', groupName: 'Klub', locale: 'da' }),
  role: async () => 'youth',
};

function slowRouter() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const router = new Router({ directory, idempotency: memoryIdempotencyStore() });
  router.command({
    name: 'slow',
    description: 'command.help.description',
    async handler() {
      await gate;
      return reply.private('done');
    },
  });
  return { router, release };
}

const event = (key = 'k1'): InboundEventInput => ({
  kind: 'command',
  name: 'slow',
  idempotencyKey: key,
  actor: { platform: 'discord', externalId: 'u1', displayName: 'Aya' },
  conversation: { platform: 'discord', channelId: 'room' },
});

describe('serve: the one deadline helper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acknowledges a slow event once its claim is in and the soft deadline has passed, then delivers', async () => {
    vi.useFakeTimers();
    const { router, release } = slowRouter();
    const { surface, calls } = recordingSurface();
    const done = serve(router, surface, event(), { ack: { afterMs: 1500, deadlineMs: 2300 }, fallbackLocale: 'da' });
    await vi.advanceTimersByTimeAsync(1499);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['ack']]);
    release();
    const served = await done;
    expect(served).toMatchObject({ expired: false, duplicate: false, acknowledged: true });
    expect(calls).toEqual([['ack'], ['private', 'done']]);
  });

  it('counts from when the platform started its clock, not from when the event got here', async () => {
    vi.useFakeTimers();
    const { router, release } = slowRouter();
    const { surface, calls } = recordingSurface();
    const done = serve(router, surface, event(), {
      ack: { afterMs: 1500, deadlineMs: 2300 },
      startedAt: Date.now() - 1400,
      fallbackLocale: 'da',
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([['ack']]);
    release();
    await done;
  });

  it('answers at once, unacknowledged, what is ready before the soft deadline', async () => {
    vi.useFakeTimers();
    const { router, release } = slowRouter();
    const { surface, calls } = recordingSurface();
    release();
    const served = await serve(router, surface, event(), { ack: { afterMs: 1500, deadlineMs: 2300 }, fallbackLocale: 'da' });
    expect(served.acknowledged).toBe(false);
    expect(calls).toEqual([['private', 'done']]);
  });

  it('does not act at all on an event whose answer window closed before it arrived', async () => {
    const { router, release } = slowRouter();
    release();
    const { surface, calls } = recordingSurface();
    const served = await serve(router, surface, event(), { expiresAt: Date.now() - 500, fallbackLocale: 'da' });
    expect(served).toMatchObject({ expired: true, outcome: undefined });
    expect(calls).toEqual([]);
    // Not claimed either: a later, timely delivery of the same event still acts.
    const again = recordingSurface();
    expect((await serve(router, again.surface, event(), { fallbackLocale: 'da' })).duplicate).toBe(false);
  });

  it('delivers nothing for a duplicate and lets the surface tidy up', async () => {
    const { router, release } = slowRouter();
    release();
    const finished: string[] = [];
    const first = recordingSurface();
    await serve(router, { ...first.surface, finish: async (o) => void finished.push(o) }, event('same'), { fallbackLocale: 'da' });
    const second = recordingSurface();
    const served = await serve(router, { ...second.surface, finish: async (o) => void finished.push(o) }, event('same'), {
      fallbackLocale: 'da',
    });
    expect(served.duplicate).toBe(true);
    expect(second.calls).toEqual([]);
    expect(finished).toEqual(['delivered', 'duplicate']);
  });
});
