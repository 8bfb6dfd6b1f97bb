import { afterEach, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { slackWorld, type SlackWorld } from './harness.ts';

const da = translator('da');
let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const homeText = (world: SlackWorld, userId: string) => JSON.stringify(world.slack.views({ userId, type: 'home' }).at(-1)?.view ?? null);

describeEachEngine('the Slack App Home', (db) => {
  it('app_home_opened publishes each person their groups: staff what waits for them, young people their next step', async () => {
    w = await slackWorld(db());
    const admin = { personId: w.adminPersonId };
    const member = async (name: 'kari' | 'ida' | 'noah', role: 'staff' | 'youth') =>
      (
        await w!.pulje.setup.addMember(admin, {
          groupId: w!.groupId,
          role,
          platform: 'slack',
          externalId: w!.user(name),
          displayName: name,
        })
      ).person.id;
    const staff = { personId: await member('kari', 'staff') };
    const ida = { personId: await member('ida', 'youth') };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommerpuljen',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    await w.pulje.proposals.submit(ida, { roundId: round.id, title: 'Skatepark', description: 'En rampe.', cost: 400_000 });

    const open = async (userId: string) => {
      const n = w!.reports.length + 1;
      await w!.slack.sendEvent({ event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' } });
      await w!.settled(n);
    };
    await open(w.user('kari'));
    await open(w.user('ida'));
    await open(w.user('noah'));
    expect(homeText(w, w.user('kari'))).toContain(da('flow.home.staff.ideas', { count: 1 }));
    expect(homeText(w, w.user('kari'))).toContain('Klubben');
    expect(homeText(w, w.user('ida'))).toContain(da('flow.home.youth.ideas'));
    expect(homeText(w, w.user('ida'))).not.toContain(da('flow.home.staff.ideas', { count: 1 }));
    // Someone Pulje does not know yet is told how to start.
    expect(homeText(w, w.user('noah'))).toContain(da('flow.home.none'));
    expect(w.slack.takeViolations()).toEqual([]);
    expect(w.slack.takeErrors()).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });
});
