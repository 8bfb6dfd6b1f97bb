import { afterEach, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { SelectedValue, StoredMessage } from '../support/slack/index.ts';
import { ideasRound } from '../support/rounds.ts';
import { button, readable, slackWorld, type SlackWorld, stepper } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Every button label in a message's blocks. */
function labels(blocks: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.type === 'button') found.push((o.text as { text: string }).text);
    Object.values(o).forEach(walk);
  };
  walk(blocks);
  return found;
}

/**
 * The warning before personal data reaches the group, on Slack: a modal's errors cannot carry a choice, so the
 * modal closes and the private warning carries "send anyway" and "put it right".
 */
describeEachEngine('Slack: personal data in an idea', (db) => {
  for (const locale of ['da', 'en'] as const) {
    it(`${locale}: the warning's "send anyway" sends the idea once, and "put it right" opens the modal filled in`, async () => {
      const t = translator(locale);
      w = await slackWorld(db());
      const world = w;
      const { slack } = world;
      const general = world.channel('general');
      await world.pulje.setup.bindConversation(
        { personId: world.adminPersonId },
        { groupId: world.groupId, platform: 'slack', channelId: general },
      );
      await ideasRound(world.pulje, { personId: world.adminPersonId }, world.groupId);
      const ida = world.user('ida');
      const step = stepper(world);
      const command = (text: string) => step(() => slack.sendSlashCommand({ userId: ida, text, channelId: general }));
      const click = (m: StoredMessage, label: string) =>
        step(() => slack.sendBlockAction({ userId: ida, channelId: m.channel, messageTs: m.ts, actionId: button(m.blocks, label) }));
      const openModal = () => [...slack.views({ userId: ida, type: 'modal' })].reverse().find((v) => v.open);
      const mine = () => slack.messages(general).filter((m) => !m.deleted && m.ephemeralFor === ida);
      const announced = () =>
        slack.messages(general).filter((m) => !m.deleted && m.ephemeralFor === undefined && readable(m).includes('#1 Fodbold'));
      if (locale === 'en') await command('language en');

      const idea = { title: 'Fodboldturnering', description: 'Ring til mig på 22 33 44 55.', cost: '2.000' };
      await command(locale === 'da' ? 'foreslå' : 'propose');
      const view = openModal()!;
      const filled: Record<string, Record<string, SelectedValue>> = {};
      for (const [k, value] of Object.entries(idea)) filled[k] = { [k]: { value } };
      await step(() => slack.sendViewSubmission({ userId: ida, viewId: view.id, values: filled }));
      const warning = mine().at(-1)!;
      expect(readable(warning)).toContain(t('flow.privacy.kind.phone'));
      expect(labels(warning.blocks)).toEqual([t('conversation.send_anyway'), t('flow.proposal.fix')]);
      expect(openModal()).toBeUndefined();
      expect(await db().prisma.proposal.count()).toBe(0);

      // "Put it right" opens the idea modal again with what Ida typed.
      await click(warning, t('flow.proposal.fix'));
      const again = openModal()!;
      expect(JSON.stringify(again.view)).toContain('22 33 44 55');
      expect(JSON.stringify(again.view)).toContain('Fodboldturnering');

      // "Send anyway": exactly one idea, announced to the channel.
      await click(warning, t('conversation.send_anyway'));
      expect(mine().some((m) => readable(m).includes(t('flow.proposal.thanks', { ref: '#1' })))).toBe(true);
      expect((await db().prisma.proposal.findMany()).map((p) => [p.number, p.title, p.description])).toEqual([
        [1, idea.title, idea.description],
      ]);
      expect(announced()).toHaveLength(1);

      // A second press: nothing more, and Ida is told why.
      await click(warning, t('conversation.send_anyway'));
      expect(readable(mine().at(-1)!)).toBe(t('conversation.already_sent'));
      expect(await db().prisma.proposal.count()).toBe(1);
      expect(announced()).toHaveLength(1);
      expect(slack.takeViolations()).toEqual([]);
      expect(world.log.problems()).toEqual([]);
    });
  }
});
