import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { flowWorld } from './harness.ts';

describeEachEngine('talk counts for the dashboard', (db) => {
  it('each captured message is counted per day, month and in all, by role, in its own transaction', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    await w.chat.send(w.youth[0]!, { kind: 'message', text: 'Vi vil have en skaterampe' });
    await w.chat.send(w.youth[1]!, { kind: 'message', text: 'Ja!' });
    await w.chat.send(w.staff, { kind: 'message', text: 'Hvad koster den?' });
    const [daily, monthly, total] = await Promise.all([
      db().prisma.discussionDaily.findMany(),
      db().prisma.discussionMonthly.findMany(),
      db().prisma.discussionTotal.findMany(),
    ]);
    expect(daily.map((d) => [d.youth, d.staff])).toEqual([[2, 1]]);
    expect(monthly.map((d) => [d.youth, d.staff, d.month.getUTCDate()])).toEqual([[2, 1, 1]]);
    expect(total).toEqual([{ groupId: w.groupId, youth: 2, staff: 1, nudges: 0 }]);
    expect(await db().prisma.discussionMessage.count()).toBe(3);
  });
});
