import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { reply, type Router } from '../../src/conversation/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { readable, slackWorld, type SlackWorld } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A command whose form is answered by a second form, then by a private note. */
function twoStep(router: Router) {
  router
    .command({
      name: 'twostep',
      description: 'command.help.description',
      handler: () =>
        reply.form({
          action: { flow: 'two', verb: 'a' },
          title: 'Trin 1',
          inputs: [{ name: 'first', label: 'Først', kind: 'short', required: true }],
        }),
    })
    .form({
      flow: 'two',
      verb: 'a',
      handler: (_ctx, { fields }) =>
        reply.form({
          action: { flow: 'two', verb: 'b', args: [fields.first!] },
          title: 'Trin 2',
          inputs: [{ name: 'second', label: 'Så', kind: 'short', required: true }],
        }),
    })
    .form({
      flow: 'two',
      verb: 'b',
      args: z.tuple([z.string()]),
      handler: (_ctx, { args, fields }) => reply.private(`${args[0]} og ${fields.second}`),
    });
}

describeEachEngine('Slack modals', (db) => {
  it('a form answered by another form replaces the modal (response_action: update); its answer comes where the first was opened', async () => {
    w = await slackWorld(db(), { flows: twoStep });
    const general = w.channel('general');
    await w.pulje.setup.bindConversation({ personId: w.adminPersonId }, { groupId: w.groupId, platform: 'slack', channelId: general });
    const admin = w.user('admin');
    await w.slack.sendSlashCommand({ userId: admin, text: 'twostep', channelId: general });
    await w.settled(1);
    const view = w.slack.views({ userId: admin, type: 'modal' }).find((v) => v.open)!;
    const step1 = await w.slack.sendViewSubmission({ userId: admin, viewId: view.id, values: { first: { first: { value: 'stole' } } } });
    await w.settled(2);
    expect(step1.ack).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(w.slack.view(view.id).view)).toContain('Trin 2');
    await w.slack.sendViewSubmission({ userId: admin, viewId: view.id, values: { second: { second: { value: 'borde' } } } });
    await w.settled(3);
    const answer = w.slack.messages(general).filter((m) => m.ephemeralFor === admin);
    expect(answer.map(readable)).toEqual(['stole og borde']);
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });
});
