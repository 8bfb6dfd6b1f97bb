import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PuljeError } from '../../src/core/errors.ts';
import {
  Router,
  memoryIdempotencyStore,
  registerHelp,
  reply,
  type ConversationDirectory,
  type FittedReply,
  type InboundEventInput,
  type Logger,
} from '../../src/conversation/index.ts';
import { discordLike, tiny } from './surfaces.ts';

const directory: ConversationDirectory = {
  async person(identity) {
    if (identity.externalId === 'stranger') return null;
    return {
      personId: `p-${identity.externalId}`,
      displayName: identity.displayName,
      locale: identity.externalId === 'english' ? 'en' : null,
    };
  },
  async conversation(ref) {
    if (ref.channelId === 'unbound') return null;
    return { conversationId: 'c1', groupId: 'g1', groupName: 'Klub', locale: 'da' };
  },
  async role(personId) {
    if (personId === 'p-outsider') return null;
    return personId === 'p-staff' ? 'staff' : 'youth';
  },
};

let n = 0;
function event(
  kind: 'command' | 'action' | 'form' | 'message',
  extra: Record<string, unknown>,
  who = 'ali',
  channel = 'room',
): InboundEventInput {
  return {
    kind,
    idempotencyKey: `k${++n}`,
    actor: { platform: 'discord', externalId: who, displayName: who },
    conversation: { platform: 'discord', channelId: channel },
    ...extra,
  } as InboundEventInput;
}

const texts = (replies: FittedReply[]) =>
  replies
    .flatMap((r) => (r.kind === 'send' ? r.messages : r.kind === 'update' || r.kind === 'edit' ? [r.message] : []))
    .flatMap((m) => [
      ...m.text.map((s) => s.text),
      ...m.cards.flatMap((c) => [c.title ?? '', ...c.body.map((s) => s.text), ...c.fields.map((f) => `${f.label} ${f.value}`)]),
    ])
    .join('\n');

function setup() {
  const errors: unknown[] = [];
  const logger: Logger = { error: (o) => errors.push(o), warn() {}, info() {} };
  const router = new Router({ directory, idempotency: memoryIdempotencyStore(), logger });
  registerHelp(router);
  const calls: unknown[] = [];
  router
    .command({
      name: 'propose',
      description: 'command.help.description',
      args: [
        { name: 'cost', hint: 'field.cost', required: true },
        { name: 'title', hint: 'field.title', required: true },
      ],
      handler: (ctx, { args }) => {
        calls.push(args);
        return reply.public(`${ctx.person.displayName}: ${args.title} (${args.cost})`);
      },
    })
    .command({ name: 'close', description: 'command.help.description', roles: ['staff'], handler: () => reply.public('closed') })
    .command({
      name: 'boom',
      description: 'command.help.description',
      requires: 'none',
      handler: () => {
        throw new Error('db down');
      },
    })
    .command({
      name: 'nope',
      description: 'command.help.description',
      handler: () => {
        throw new PuljeError('voting_closed');
      },
    })
    .action({
      flow: 'vote',
      verb: 'pick',
      args: z.tuple([z.uuid()]),
      handler: (ctx, { args, values }) => {
        calls.push({ round: args[0], values });
        return reply.update('ok');
      },
    })
    .form({
      flow: 'proposal',
      verb: 'edit',
      args: z.tuple([z.string()]),
      handler: (_ctx, { args, fields }) => {
        calls.push({ form: args[0], fields });
        return reply.private('saved');
      },
    });
  return { router, calls, errors };
}

describe('router', () => {
  it('parses command text into named arguments; the last one takes the rest', async () => {
    const { router, calls } = setup();
    const out = await router.handle(event('command', { name: 'propose', text: '4500 Nye bænke til klubben' }), { limits: discordLike });
    expect(calls).toEqual([{ cost: '4500', title: 'Nye bænke til klubben' }]);
    expect(out.replies[0]).toMatchObject({ kind: 'send', visibility: 'public' });
    expect(texts(out.replies)).toBe('ali: Nye bænke til klubben (4500)');
  });

  it('answers a missing argument privately in the group language and acts on nothing', async () => {
    const { router, calls } = setup();
    const out = await router.handle(event('command', { name: 'propose', text: '4500' }), { limits: discordLike });
    expect(calls).toEqual([]);
    expect(out.replies[0]).toMatchObject({ kind: 'send', visibility: 'private' });
    expect(texts(out.replies)).toBe('Det kunne jeg ikke bruge: titel mangler');
  });

  it("uses the person's language over the group's", async () => {
    const { router } = setup();
    const out = await router.handle(event('command', { name: 'nope' }, 'english'), { limits: discordLike });
    expect(out.locale).toBe('en');
    expect(texts(out.replies)).toBe('Voting has closed, so what you sent just now was not included.');
  });

  it('never acts twice on one idempotency key', async () => {
    const { router, calls } = setup();
    const e = event('command', { name: 'propose', args: { cost: '1', title: 'x' } });
    const [a, b] = await Promise.all([router.handle(e, { limits: discordLike }), router.handle(e, { limits: discordLike })]);
    expect(calls).toHaveLength(1);
    // The one that lost the race is told the event is being handled elsewhere; once that is done, a repeat is a duplicate.
    expect([a, b].map((o) => (o.busy ? 'busy' : o.duplicate ? 'duplicate' : 'acted')).sort()).toEqual(['acted', 'busy']);
    expect((await router.handle(e, { limits: discordLike })).duplicate).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('turns unknown errors into a private generic answer, logs them, and lets a redelivery retry', async () => {
    const { router, errors } = setup();
    const e = event('command', { name: 'boom' });
    const out = await router.handle(e, { limits: discordLike });
    expect(texts(out.replies)).toBe('Noget gik galt hos mig. Prøv igen om lidt.');
    expect(out.replies[0]).toMatchObject({ visibility: 'private' });
    expect(errors).toHaveLength(1);
    expect((await router.handle(e, { limits: discordLike })).duplicate).toBe(false);
  });

  it('decodes and validates action ids; forged or stale ones change nothing', async () => {
    const { router, calls } = setup();
    const round = '6f1c2a52-6a5e-4c1e-9d0b-0c9a9f0e1a11';
    const ok = await router.handle(
      event('action', { actionId: `vote:pick:*${Buffer.from(round.replace(/-/g, ''), 'hex').toString('base64url')}`, values: ['a'] }),
      { limits: discordLike },
    );
    expect(ok.replies[0]).toMatchObject({ kind: 'update' });
    expect(calls).toEqual([{ round, values: ['a'] }]);
    for (const forged of ['vote:pick:not-a-uuid', 'vote:pick.2:' + round, 'vote:steal', 'drop table', 'vote:pick']) {
      const out = await router.handle(event('action', { actionId: forged }), { limits: discordLike });
      expect(texts(out.replies), forged).toBe(
        'Det kunne jeg ikke bruge: den knap eller formular virker ikke længere – prøv kommandoen igen',
      );
    }
    expect(calls).toHaveLength(1);
  });

  it('routes form submits with their fields', async () => {
    const { router, calls } = setup();
    await router.handle(event('form', { formId: 'proposal:edit:p7', fields: { title: 'Ny' } }), { limits: discordLike });
    expect(calls).toEqual([{ form: 'p7', fields: { title: 'Ny' } }]);
  });

  it('checks who may act: unknown people, unbound channels, non-members, roles', async () => {
    const { router } = setup();
    const say = async (who: string, channel: string, name: string) =>
      texts(
        (await router.handle(event('command', { name, args: { cost: '1', title: 't' } }, who, channel), { limits: discordLike })).replies,
      );
    expect(await say('stranger', 'room', 'propose')).toMatch(/Jeg kender dig ikke endnu/);
    expect(await say('ali', 'unbound', 'propose')).toMatch(/ikke koblet til en gruppe/);
    expect(await say('outsider', 'room', 'propose')).toBe('Du er ikke med i denne gruppe.');
    expect(await say('ali', 'room', 'close')).toBe('Det er kun medarbejdere, der kan gøre det.');
    expect(await say('staff', 'room', 'close')).toBe('closed');
    expect(await say('ali', 'room', 'frobnicate')).toMatch(/Kommandoen \/frobnicate kender jeg ikke/);
  });

  it('answers with a private generic error when the directory fails, and acts on nothing', async () => {
    const errors: unknown[] = [];
    const broken = new Router({
      directory: {
        ...directory,
        person: async () => {
          throw new Error('db down');
        },
      },
      idempotency: memoryIdempotencyStore(),
      logger: { error: (o) => errors.push(o), warn() {}, info() {} },
    });
    let ran = false;
    broken.command({
      name: 'x',
      description: 'command.help.description',
      requires: 'none',
      handler: () => {
        ran = true;
      },
    });
    const out = await broken.handle(event('command', { name: 'x' }), { limits: discordLike });
    expect(texts(out.replies)).toBe('Noget gik galt hos mig. Prøv igen om lidt.');
    expect(ran).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('ignores free text when no flow listens, and rejects malformed events privately', async () => {
    const { router } = setup();
    expect((await router.handle(event('message', { text: 'hej' }), { limits: discordLike })).replies).toEqual([]);
    const bad = await router.handle({ kind: 'command' } as unknown as InboundEventInput, { limits: discordLike });
    expect(bad.replies[0]).toMatchObject({ kind: 'send', visibility: 'private' });
  });

  it('describes its commands localized and filtered by role, for hints and platform registration', () => {
    const { router } = setup();
    const youth = router.describeCommands('da', 'youth').map((c) => c.name);
    expect(youth).toEqual(['boom', 'help', 'nope', 'propose']);
    expect(router.describeCommands('da', 'staff').map((c) => c.name)).toContain('close');
    expect(router.describeCommands('en').find((c) => c.name === 'propose')).toMatchObject({
      usage: 'propose <cost> <title>',
      description: 'Show what I can help with',
    });
  });
});

describe('help', () => {
  it('lists the commands this person may use, works for strangers, and pages on small surfaces', async () => {
    const { router } = setup();
    const out = await router.handle(event('command', { name: 'hjælp' }, 'stranger'), { limits: discordLike });
    expect(texts(out.replies)).toContain('/propose <pris> <titel> Vis hvad jeg kan hjælpe med');
    expect(texts(out.replies)).not.toContain('/close');

    const small = await router.handle(event('command', { name: 'help' }), { limits: tiny });
    const first = small.replies[0]!;
    if (first.kind !== 'send') throw new Error('expected a message');
    const next = first.messages[0]!.cards[0]!.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])).find((b) => b.label === '▶')!;
    const page2 = await router.handle(event('action', { actionId: next.id }), { limits: tiny });
    expect(page2.replies[0]).toMatchObject({ kind: 'update' });
    expect(texts(page2.replies)).not.toEqual(texts(small.replies));
  });

  it('shows one command when asked about it', async () => {
    const { router } = setup();
    const out = await router.handle(event('command', { name: 'help', text: '/propose' }), { limits: discordLike });
    expect(texts(out.replies)).toContain('/propose');
    expect(texts(out.replies)).not.toContain('/help [');
  });
});

describe('router: declared conditions, checked in one place before the handler', () => {
  function declared() {
    const router = new Router({ directory, idempotency: memoryIdempotencyStore() });
    const order: string[] = [];
    let loads = 0;
    const load = (ctx: { memo<T>(k: string, f: () => Promise<T>): Promise<T> }) =>
      ctx.memo('round', async () => {
        loads++;
        return { phase: 'voting' };
      });
    router
      .action({
        flow: 'round',
        verb: 'close',
        args: z.tuple([z.string()]),
        roles: ['staff'],
        preconditions: [
          async (ctx, { args }) => {
            order.push(`first:${args[0]}`);
            await load(ctx);
          },
          async (ctx) => {
            order.push('second');
            if ((await load(ctx)).phase !== 'voting') throw new PuljeError('wrong_phase');
          },
        ],
        handler: async (ctx) => {
          order.push('handler');
          await load(ctx);
          return reply.public('closed');
        },
      })
      .form({
        flow: 'round',
        verb: 'note',
        roles: ['staff'],
        preconditions: [
          () => {
            throw new PuljeError('reason_required');
          },
        ],
        handler: () => {
          order.push('form handler');
          return reply.private('saved');
        },
      });
    return { router, order, loads: () => loads };
  }

  it('refuses a role that may not use an action before any precondition or the handler runs', async () => {
    const { router, order } = declared();
    const out = await router.handle(event('action', { actionId: 'round:close:r1' }), { limits: discordLike });
    expect(texts(out.replies)).toBe('Det er kun medarbejdere, der kan gøre det.');
    expect(order).toEqual([]);
  });

  it('runs preconditions in order, then the handler; what they load is read once per event', async () => {
    const { router, order, loads } = declared();
    const out = await router.handle(event('action', { actionId: 'round:close:r1' }, 'staff'), { limits: discordLike });
    expect(texts(out.replies)).toBe('closed');
    expect(order).toEqual(['first:r1', 'second', 'handler']);
    expect(loads()).toBe(1);
    await router.handle(event('action', { actionId: 'round:close:r1' }, 'staff'), { limits: discordLike });
    // A new event reads again: the memo lives as long as one event.
    expect(loads()).toBe(2);
  });

  it('a failing precondition is the private answer, and the handler never runs', async () => {
    const { router, order } = declared();
    const out = await router.handle(event('form', { formId: 'round:note', fields: {} }, 'staff'), { limits: discordLike });
    expect(texts(out.replies)).toBe(new PuljeError('reason_required').localize('da'));
    expect(order).toEqual([]);
  });
});
