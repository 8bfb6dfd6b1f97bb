import { describe, expect, it } from 'vitest';
import { Router, memoryIdempotencyStore, reply, type ConversationDirectory, type InboundEventInput } from '../../src/conversation/index.ts';
import { discordLike } from './surfaces.ts';

// Hooks the chat adapters need beyond handle(): early acknowledgement and argument suggestions.

const directory: ConversationDirectory = {
  async person(identity) {
    return identity.externalId === 'stranger'
      ? null
      : { personId: `p-${identity.externalId}`, displayName: identity.displayName, locale: null };
  },
  async conversation(ref) {
    return ref.channelId === 'unbound' ? null : { conversationId: 'c1', groupId: 'g1', groupName: 'Klub', locale: 'da' };
  },
  async role(personId) {
    return personId === 'p-staff' ? 'staff' : 'youth';
  },
};

const who = (externalId: string) => ({ platform: 'discord' as const, externalId, displayName: externalId });
const room = (channelId = 'room') => ({ platform: 'discord' as const, channelId });

function setup() {
  const router = new Router({ directory, idempotency: memoryIdempotencyStore() });
  const seen: unknown[] = [];
  const proposals = ['Skatepark', 'Skaterampe', 'Musikudstyr'];
  router
    .command({
      name: 'show',
      description: 'command.help.description',
      args: [
        {
          name: 'proposal',
          hint: 'field.title',
          complete: (ctx, { partial, args }) => {
            seen.push({ group: ctx.conversation.groupId, partial, args });
            return proposals.flatMap((p, i) =>
              p.toLowerCase().startsWith(partial.toLowerCase()) ? [{ label: p, value: String(i + 1) }] : [],
            );
          },
        },
        { name: 'note', hint: 'field.title' },
      ],
      handler: () => reply.private('ok'),
    })
    .command({
      name: 'close',
      description: 'command.help.description',
      roles: ['staff'],
      args: [{ name: 'round', hint: 'field.title', complete: () => [{ label: 'Runde 1', value: 'r1' }] }],
      handler: () => reply.public('closed'),
    })
    .command({
      name: 'broken',
      description: 'command.help.description',
      args: [
        {
          name: 'x',
          hint: 'field.title',
          complete: () => {
            throw new Error('db down');
          },
        },
      ],
      handler: () => undefined,
    })
    .alias('vis', 'show');
  return { router, seen };
}

describe('router.complete (argument suggestions)', () => {
  it('asks the argument with what was typed and the other arguments, in the member context', async () => {
    const { router, seen } = setup();
    const choices = await router.complete({
      actor: who('ali'),
      conversation: room(),
      command: 'show',
      arg: 'proposal',
      partial: 'Ska',
      args: { note: 'x' },
    });
    expect(choices).toEqual([
      { label: 'Skatepark', value: '1' },
      { label: 'Skaterampe', value: '2' },
    ]);
    expect(seen).toEqual([{ group: 'g1', partial: 'Ska', args: { note: 'x' } }]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'vis', arg: 'proposal', partial: 'mu' })).toEqual([
      { label: 'Musikudstyr', value: '3' },
    ]);
  });

  it('suggests nothing to people who may not use the command, for unknown arguments, or when the suggester fails', async () => {
    const { router, seen } = setup();
    expect(await router.complete({ actor: who('stranger'), conversation: room(), command: 'show', arg: 'proposal', partial: '' })).toEqual(
      [],
    );
    expect(
      await router.complete({ actor: who('ali'), conversation: room('unbound'), command: 'show', arg: 'proposal', partial: '' }),
    ).toEqual([]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'close', arg: 'round', partial: '' })).toEqual([]);
    expect(await router.complete({ actor: who('staff'), conversation: room(), command: 'close', arg: 'round', partial: '' })).toEqual([
      { label: 'Runde 1', value: 'r1' },
    ]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'show', arg: 'note', partial: '' })).toEqual([]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'nope', arg: 'x', partial: '' })).toEqual([]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'broken', arg: 'x', partial: '' })).toEqual([]);
    expect(await router.complete({ actor: who('ali'), conversation: room(), command: 'NOT VALID', arg: 'x', partial: '' })).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('says in the command description which arguments offer suggestions', () => {
    const { router } = setup();
    expect(
      router
        .describeCommands('da')
        .find((c) => c.name === 'show')
        ?.args.map((a) => [a.name, a.complete]),
    ).toEqual([
      ['proposal', true],
      ['note', false],
    ]);
  });
});

describe('router.handle onClaimed', () => {
  const event = (key: string, name = 'show'): InboundEventInput => ({
    kind: 'command',
    idempotencyKey: key,
    actor: who('ali'),
    conversation: room(),
    name,
  });

  it('is called once the event is claimed and before the handler runs; never for a duplicate', async () => {
    const order: string[] = [];
    const router = new Router({ directory, idempotency: memoryIdempotencyStore() });
    router.command({
      name: 'slow',
      description: 'command.help.description',
      handler: () => {
        order.push('handler');
        return reply.private('ok');
      },
    });
    const first = await router.handle(event('k1', 'slow'), { limits: discordLike, onClaimed: () => order.push('claimed') });
    const again = await router.handle(event('k1', 'slow'), { limits: discordLike, onClaimed: () => order.push('claimed again') });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(order).toEqual(['claimed', 'handler']);
  });

  it('is not called for events refused before the claim (malformed)', async () => {
    const { router } = setup();
    let called = false;
    await router.handle({ kind: 'command' } as unknown as InboundEventInput, { limits: discordLike, onClaimed: () => (called = true) });
    expect(called).toBe(false);
  });
});
