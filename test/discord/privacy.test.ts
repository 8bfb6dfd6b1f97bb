import { expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { InteractionRecord, StoredMessage, UserObject } from '../support/discord/index.ts';
import { ideasRound } from '../support/rounds.ts';
import { button, buttons, discordWorld, readable, unescapeDiscord, type World } from './harness.ts';

const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/** What a modal shows filled in: input custom_id → value. */
function prefilled(modal: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const c = node as { custom_id?: unknown; value?: unknown; components?: unknown[]; component?: unknown };
    if (typeof c.custom_id === 'string' && typeof c.value === 'string') found[c.custom_id] = c.value;
    for (const child of c.components ?? []) walk(child);
    walk(c.component);
  };
  walk(modal);
  return found;
}

/**
 * The warning before personal data reaches the group, on Discord: the modal is gone once submitted, so the
 * private warning itself carries "send anyway" and "put it right".
 */
describeEachEngine('Discord: personal data in an idea', (db) => {
  for (const locale of ['da', 'en'] as const) {
    it(`${locale}: the warning's "send anyway" sends the idea once, and "put it right" opens it filled in`, async () => {
      const t = translator(locale);
      const w: World = await discordWorld(db(), { flows: true });
      await ideasRound(w.pulje, { personId: w.adminPersonId }, w.groupId);
      const aya = w.youth[0] as UserObject;
      const done = async (rec: InteractionRecord) => {
        await w.settled(rec.id);
        return w.discord.interaction(rec.id);
      };
      const command = (name: string, options?: Record<string, string>) =>
        done(w.discord.sendSlashCommand({ name, user: aya, ...(options ? { options } : {}) }));
      const click = (message: StoredMessage, label: string) =>
        done(w.discord.sendButton({ customId: button(message, label), message, user: aya }));
      const submit = (shown: InteractionRecord, values: Record<string, string>) => {
        expect(shown.response?.type, 'a modal was shown').toBe(9);
        return done(w.discord.sendModalSubmit({ interactionId: shown.id, values }));
      };
      const announcements = () => w.discord.messages(w.bound.id).filter((m) => !m.ephemeral && text(m).includes('#1 Fodbold'));
      if (locale === 'en') await command('language', { language: 'en' });

      const idea = { title: 'Fodboldturnering', description: 'Ring til mig på 22 33 44 55.', cost: '2.000' };
      const held = await submit(await command('propose'), idea);
      const warning = held.original!;
      expect(warning.ephemeral).toBe(true);
      expect(text(warning)).toContain(t('flow.privacy.kind.phone'));
      expect(buttons(warning).map((b) => b.label)).toEqual([t('conversation.send_anyway'), t('flow.proposal.fix')]);
      expect(await db().prisma.proposal.count()).toBe(0);
      expect(announcements()).toEqual([]);

      // "Put it right" opens the idea form again with what Aya typed.
      const reopened = await click(warning, t('flow.proposal.fix'));
      expect(reopened.response?.type).toBe(9);
      expect(prefilled(reopened.modal)).toMatchObject(idea);

      // "Send anyway": exactly one idea, announced to the group by the bot, not as Aya's follow-up.
      const sent = await click(warning, t('conversation.send_anyway'));
      const answers = [sent.original, ...sent.followups].filter((m): m is StoredMessage => m !== undefined && !m.deleted);
      expect(answers.map((m) => [m.ephemeral, text(m).includes(t('flow.proposal.thanks', { ref: '#1' }))])).toEqual([[true, true]]);
      expect((await db().prisma.proposal.findMany()).map((p) => [p.number, p.title, p.description])).toEqual([
        [1, idea.title, idea.description],
      ]);
      expect(announcements().map((m) => [m.via, m.interactionId])).toEqual([['channel', undefined]]);

      // A second press: nothing more is sent, and Aya is told why.
      const again = await click(warning, t('conversation.send_anyway'));
      expect(again.original && text(again.original)).toBe(t('conversation.already_sent'));
      expect(await db().prisma.proposal.count()).toBe(1);
      expect(announcements()).toHaveLength(1);
      expect(w.log.problems()).toEqual([]);
    });
  }
});
