import { z } from 'zod';
import type { Card } from '../outbound.ts';
import { reply } from '../outbound.ts';
import type { Context, Router } from '../router.ts';

const PAGE = { flow: 'help', verb: 'page' } as const;

/** The commands this person may use here, as a paged card: long registries page instead of overflowing. */
function helpCard(ctx: Context, page: number, only?: string): Card {
  const shown = (c: { name: string; localName?: string }) => c.localName ?? c.name;
  const commands = ctx
    .commands()
    .filter((c) => !only || c.name === only || c.localName === only)
    .sort((a, b) => shown(a).localeCompare(shown(b), ctx.locale));
  return {
    title: ctx.t('help.title'),
    body: commands.length ? ctx.t('help.intro') : ctx.t('help.none'),
    // In Danish the Danish name (/stem, /hjælp), which every surface accepts as well as the English one.
    fields: commands.map((c) => ({ label: `/${c.localName ? c.usage.replace(c.name, c.localName) : c.usage}`, value: c.description })),
    tone: 'info',
    paging: { action: PAGE, page },
  };
}

/** `/help [command]`: works for anyone, even before they are known, since it is how people find their way. */
export function registerHelp(router: Router): void {
  router
    .command({
      name: 'help',
      description: 'command.help.description',
      args: [{ name: 'command', hint: 'command.help.arg.command' }],
      requires: 'none',
      handler(ctx, { args }) {
        const only = args.command?.replace(/^\//, '').toLowerCase();
        const known = only && ctx.commands().some((c) => c.name === only || c.localName === only);
        return reply.private({ cards: [helpCard(ctx, 0, known ? only : undefined)] });
      },
    })
    .alias('hjælp', 'help')
    .action({
      ...PAGE,
      args: z.tuple([]),
      requires: 'none',
      handler: (ctx, { page }) => reply.update({ cards: [helpCard(ctx, page ?? 0)] }),
    });
}
