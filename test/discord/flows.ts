import { z } from 'zod';
import { PuljeError } from '../../src/core/errors.ts';
import { reply, type Button, type Router } from '../../src/conversation/index.ts';

/** A promise the test settles: a handler waits on it, so "slow" is whatever the test says, never a timer. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const D = 'command.help.description' as const;
const PICK = { flow: 'menu', verb: 'pick' } as const;
const PAGE = { flow: 'menu', verb: 'page' } as const;

/** Sixty options: more than one Discord select holds, so the card pages. */
export const OPTIONS = Array.from({ length: 60 }, (_, i) => ({ value: `o${i + 1}`, label: `Idé #${i + 1}` }));

/**
 * Flows for testing the adapter's mechanics before (and besides) the real ones: they exercise every kind of reply
 * the conversation layer has, with nothing about budgets in them.
 */
export function testFlows(router: Router, opts: { slow?: Promise<void>; calls?: string[]; onSlow?: () => void } = {}) {
  const calls = opts.calls ?? [];
  const menu = (page: number) => ({
    cards: [
      {
        title: 'Menu',
        body: 'Vælg et idé',
        controls: [
          { kind: 'select' as const, action: PICK, placeholder: 'Vælg', options: OPTIONS },
          ...Array.from(
            { length: 12 },
            (_, i): Button => ({ kind: 'button', action: { flow: 'menu', verb: 'b', args: [String(i)] }, label: `Knap ${i + 1}` }),
          ),
        ],
        paging: { action: PAGE, page },
      },
    ],
  });
  router
    .command({
      name: 'echo',
      description: D,
      args: [{ name: 'text', hint: 'field.title', required: true }],
      requires: 'none',
      handler: (_ctx, { args }) => {
        calls.push('echo');
        const text = args.text!;
        return reply.public({
          text,
          cards: [
            {
              title: text,
              body: [{ text, strong: true }, ' · ', { text, code: true }, ' · ', { text, em: true }],
              fields: [{ label: text, value: text }],
              footer: text,
            },
          ],
        });
      },
    })
    .command({
      name: 'idea',
      description: D,
      handler: () =>
        reply.form({
          action: { flow: 'idea', verb: 'new' },
          title: 'Ny idé',
          inputs: [
            { name: 'title', label: 'Titel', kind: 'short', required: true, maxLength: 80 },
            { name: 'why', label: 'Hvorfor?', kind: 'long', placeholder: 'Fortæl' },
            { name: 'cost', label: 'Pris', kind: 'number', initial: '100' },
          ],
        }),
    })
    .form({
      flow: 'idea',
      verb: 'new',
      args: z.tuple([]),
      handler: (_ctx, { fields }) => {
        calls.push(`idea:${JSON.stringify(fields)}`);
        return reply.private(`Tak for idéen: ${fields.title}`);
      },
    })
    .command({ name: 'menu', description: D, handler: () => reply.private(menu(0)) })
    .action({ flow: 'menu', verb: 'page', handler: (_ctx, { page }) => reply.update(menu(page ?? 0)) })
    .action({ flow: 'menu', verb: 'pick', handler: (_ctx, { values }) => reply.update(`Du valgte ${values.join(', ')}`) })
    .action({
      flow: 'menu',
      verb: 'b',
      args: z.tuple([z.string()]),
      handler: (_ctx, { args: [n] }) => reply.private(`Knap ${Number(n) + 1}`),
    })
    .command({
      name: 'buttons',
      description: D,
      handler: () =>
        reply.public({
          cards: [
            {
              title: 'Mange knapper',
              controls: Array.from(
                { length: 30 },
                (_, i): Button => ({ kind: 'button', action: { flow: 'menu', verb: 'b', args: [String(i)] }, label: `Knap ${i + 1}` }),
              ),
            },
          ],
        }),
    })
    .command({
      name: 'slow',
      description: D,
      handler: async () => {
        calls.push('slow');
        await opts.slow;
        return reply.private('Færdig');
      },
    })
    .command({
      name: 'twiceslow',
      description: D,
      handler: async () => {
        // The event is claimed and being handled: the test may now move Discord's clock.
        opts.onSlow?.();
        await opts.slow;
        return [reply.private('Først'), reply.private('Så')];
      },
    })
    .command({
      name: 'slowpublic',
      description: D,
      handler: async () => {
        await opts.slow;
        return reply.public({ cards: [{ title: 'Resultat', body: 'Alle kan se dette.' }] });
      },
    })
    .command({
      name: 'ballot',
      description: D,
      handler: () =>
        reply.private({
          cards: [{ title: 'Stemmeseddel', controls: [{ kind: 'button', action: { flow: 'ballot', verb: 'send' }, label: 'Send' }] }],
        }),
    })
    .action({
      flow: 'ballot',
      verb: 'send',
      handler: async () => {
        calls.push('send');
        await opts.slow;
        return reply.update({ cards: [{ title: 'Kvittering', body: [{ text: 'K7Q-2MX-9PD', code: true }], keep: true }] });
      },
    })
    .command({
      name: 'boom',
      description: D,
      handler: () => {
        throw new Error('kaput');
      },
    })
    .command({
      name: 'nope',
      description: D,
      handler: () => {
        throw new PuljeError('voting_closed');
      },
    })
    .command({
      name: 'whoami',
      description: D,
      requires: 'none',
      handler: (ctx) => {
        calls.push('whoami');
        return reply.private(
          `${ctx.person?.displayName ?? '-'}|${ctx.role ?? '-'}|${ctx.platformRoles.join(',') || '-'}|${ctx.conversation?.groupName ?? '-'}`,
        );
      },
    })
    .command({ name: 'staffonly', description: D, roles: ['staff', 'admin'], handler: () => reply.private('Kun for voksne') })
    .command({
      name: 'share',
      description: D,
      args: [{ name: 'title', hint: 'field.title', required: true }],
      handler: (_ctx, { args }) =>
        reply.public({ cards: [{ title: args.title!, body: 'Hvad synes I?', discussion: `#1 ${args.title!}` }] }),
    })
    .command({
      name: 'pick',
      description: D,
      args: [
        {
          name: 'proposal',
          hint: 'field.title',
          required: true,
          complete: (_ctx, { partial }) => [
            { label: 'x'.repeat(300), value: 'long-label' },
            { label: 'too long a value', value: 'v'.repeat(101) },
            ...Array.from({ length: 40 }, (_, i) => ({ label: `${partial} idé ${i + 1}`, value: `p${i + 1}` })),
          ],
        },
        { name: 'note', hint: 'field.title' },
      ],
      handler: (_ctx, { args }) => reply.private(`Valgt: ${args.proposal}`),
    })
    .command({
      name: 'twice',
      description: D,
      handler: () => [reply.private('Først privat'), reply.public('Så offentligt'), reply.private('Og privat igen')],
    })
    .command({
      name: 'slowform',
      description: D,
      handler: async () => {
        await opts.slow;
        return reply.form({
          action: { flow: 'idea', verb: 'new' },
          title: 'Ny idé',
          inputs: [{ name: 'title', label: 'Titel', kind: 'short' }],
        });
      },
    })
    .command({
      name: 'retitle',
      description: D,
      args: [
        { name: 'channel', hint: 'field.title', required: true },
        { name: 'message', hint: 'field.title', required: true },
      ],
      handler: (_ctx, { args }) =>
        reply.edit(
          { platform: 'discord', channelId: args.channel!, messageId: args.message! },
          { cards: [{ title: 'Rettet', body: 'Ny tekst' }] },
        ),
    });
  return calls;
}
