import { afterEach, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { readable, slackWorld, type SlackWorld } from './harness.ts';

const da = translator('da');
let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const welcome = da('flow.bind.welcome_title', { group: 'Klubben' });

describeEachEngine('Slack when the Web API says no', (db) => {
  it('a 429 with Retry-After: the acknowledgement goes at once, the public post waits its second and then goes through', async () => {
    w = await slackWorld(db());
    const general = w.channel('general');
    w.slack.failNext('chat.postMessage', { retryAfterSeconds: 1 });
    const d = await w.slack.sendSlashCommand({ userId: w.user('admin'), text: 'kobl Klubben', channelId: general });
    expect(d.late).toBe(false);
    expect(d.ackMs!).toBeLessThan(3000);
    await w.settled(1);
    const posts = w.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === general);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(w.slack.messages(general).filter((m) => readable(m).includes(welcome))).toHaveLength(1);
    expect(w.log.problems()).toEqual([]);
  });

  it('a channel the bot was not invited to (not_in_channel): the public answer goes through the response_url instead', async () => {
    w = await slackWorld(db());
    const random = w.channel('random');
    const d = await w.slack.sendSlashCommand({ userId: w.user('admin'), text: 'kobl Klubben', channelId: random });
    expect(d.status).toBe(200);
    await w.settled(1);
    expect(w.slack.callsTo('chat.postMessage').map((c) => c.response.error)).toEqual(['not_in_channel']);
    const shown = w.slack.messages(random).filter((m) => readable(m).includes(welcome));
    expect(shown.map((m) => [m.via, m.ephemeralFor])).toEqual([['response_url', undefined]]);
    // The person is told privately how to let Pulje in.
    const note = w.slack.messages(random).filter((m) => m.ephemeralFor === w!.user('admin'));
    expect(note.map(readable)).toEqual([expect.stringContaining('/invite @Pulje')]);
    expect(w.log.problems()).toEqual(['warn: slack: cannot post in the channel; answering through the response_url']);
  });
});
