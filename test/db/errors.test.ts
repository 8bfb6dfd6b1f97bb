import { expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/errors.ts';
import { describeEachEngine } from '../support/databases.ts';

describeEachEngine('database errors', (db) => {
  it('a unique key taken is recognised from a typed write and from a raw one (which Prisma reports as P2010)', async () => {
    const p = db().prisma;
    const organisation = { id: 'org-1', name: 'Kommune' };
    await p.organisation.create({ data: organisation });
    const typed = await p.organisation.create({ data: organisation }).catch((e: unknown) => e);
    const raw = await p.$queryRaw`INSERT INTO "Organisation" ("id", "name") VALUES (${organisation.id}, ${'Igen'}) RETURNING "id"`.catch(
      (e: unknown) => e,
    );
    expect([(typed as { code?: string }).code, (raw as { code?: string }).code]).toEqual(['P2002', 'P2010']);
    expect([isUniqueViolation(typed), isUniqueViolation(raw)]).toEqual([true, true]);
    // Another failure of a raw statement is not one.
    const other = await p.$queryRaw`SELECT "nope" FROM "Organisation"`.catch((e: unknown) => e);
    expect([(other as { code?: string }).code, isUniqueViolation(other)]).toEqual(['P2010', false]);
  });
});
