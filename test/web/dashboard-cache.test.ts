import { expect, it } from 'vitest';
import { dashboardHandler } from '../../adapters/dashboard/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { FIX, seedDashboard } from '../support/dashboard-fixture.ts';
import { describeEachEngine } from '../support/databases.ts';

describeEachEngine('dashboard figure cache', (db) => {
  it('is keyed by which groups a viewer has: moved to another group, they see that group at once', async () => {
    await seedDashboard(db());
    const pulje = createPulje({ db: db() });
    // The default cache (30 s): the second view is well within it.
    const handler = dashboardHandler({ pulje, defaultLocale: 'da', secureCookies: false });
    const link = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
    const cookie = `pulje_dash=${(await pulje.dashboardAccess.redeem(link.token))!.token}`;
    const view = async () => {
      const res = await handler(new Request('http://dash/dashboard/csv/groups', { headers: { cookie } }));
      expect(res.status).toBe(200);
      return res.text();
    };
    const before = await view();
    expect(before).toContain(FIX.names.gA1);
    expect(before).not.toContain(FIX.names.gA2);
    // Mette moves from Klubben Syd to Ungdomsskolen: still one group, a different one.
    await db().prisma.membership.update({ where: { id: `m-${FIX.mette}-${FIX.gA1}` }, data: { groupId: FIX.gA2 } });
    const after = await view();
    expect(after).toContain(FIX.names.gA2);
    expect(after).not.toContain(FIX.names.gA1);
  });
});
