import { type Locale, t } from '../i18n/index.ts';
import type { ReplyRef } from './events.ts';
import { type FittedMessage, type FittedReply, fitMessage } from './fit.ts';
import { type Logger, silentLogger } from './ports.ts';
import type { Surface } from './surface.ts';

export interface DeliverOptions {
  /** The reader's language, for the notes the delivery path itself may add. */
  locale: Locale;
  log?: Logger;
}

const keepWorthy = (message: FittedMessage) => message.cards.some((c) => c.keep);
const discussionOf = (message: FittedMessage) => message.cards.find((c) => c.discussion)?.discussion;

/**
 * The one delivery path: applies the router's fitted replies to a surface, the same way on every platform.
 *
 * - A form goes first (a platform may open one only as the first answer); a second form is dropped with a
 *   warning, and a form the surface can no longer open becomes a private note saying so.
 * - Updates next (they too must come early on some platforms); an update without a replaceable source, and an
 *   edit of a message that cannot be edited, are shown as a fresh private answer instead. Overflow (content
 *   that no longer fits one message) follows privately.
 * - Sends and edits in the order the flow gave them. A public card inviting discussion gets a thread; a private
 *   card worth keeping also goes by direct message where private answers are fleeting, and someone whose DMs
 *   are closed is told to keep the message themselves.
 * - Last, public cards whose controls no longer apply lose them (`retire`), where the surface can edit.
 * Delivery stops as soon as the platform refuses further answers.
 */
export async function deliver(surface: Surface, replies: readonly FittedReply[], opts: DeliverOptions): Promise<void> {
  const log = opts.log ?? silentLogger;
  const note = (key: 'conversation.form_unavailable' | 'conversation.dm_closed') =>
    surface.postPrivate(fitMessage({ text: t(opts.locale, key) }, surface.limits)[0]!);

  const kept = async (message: FittedMessage) => {
    if (!surface.fleetingPrivate || !keepWorthy(message)) return;
    if ((await surface.directMessage([message])) === 'closed') await note('conversation.dm_closed');
  };
  const posted = async (message: FittedMessage, visibility: 'public' | 'private') => {
    if (visibility === 'private') {
      const ref = await surface.postPrivate(message);
      if (ref) await kept(message);
      return;
    }
    const ref = await surface.postPublic(message);
    const discussion = discussionOf(message);
    if (ref && discussion) await surface.openThread(ref, discussion);
  };
  const overflow = async (messages: readonly FittedMessage[]) => {
    for (const m of messages) await posted(m, 'private');
  };
  const replaced = async (message: FittedMessage, rest: readonly FittedMessage[], ref?: ReplyRef) => {
    if (ref) {
      if (!(await surface.edit(ref, message))) await posted(message, 'private');
    } else {
      const target = await surface.updateSource(message);
      if (!target) await posted(message, 'private');
      else if (target.private) await kept(message);
    }
    await overflow(rest);
  };

  const forms = replies.filter((r) => r.kind === 'form');
  if (forms.length > 1) log.warn({ forms: forms.length }, 'conversation: a reply opened several forms; only the first is shown');
  const ordered = [
    ...forms.slice(0, 1),
    ...replies.filter((r) => r.kind === 'update'),
    ...replies.filter((r) => r.kind === 'send' || r.kind === 'edit'),
    ...replies.filter((r) => r.kind === 'retire'),
  ];
  for (const r of ordered) {
    if (surface.lost) break;
    switch (r.kind) {
      case 'form':
        if (!(await surface.openForm(r.form))) await note('conversation.form_unavailable');
        break;
      case 'update':
        await replaced(r.message, r.overflow);
        break;
      case 'edit':
        await replaced(r.message, r.overflow, r.ref);
        break;
      case 'retire':
        await surface.retire?.(r.scope, r.note);
        break;
      case 'send':
        for (const m of r.messages) {
          if (surface.lost) break;
          await posted(m, r.visibility);
        }
        break;
    }
  }
}
