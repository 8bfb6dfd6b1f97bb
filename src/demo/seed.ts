import type { Locale } from '../i18n/index.ts';
import type { Pulje } from '../usecases/index.ts';

/** Everything seeded is named so no one mistakes it for a real municipality's data. */
const DEMO = {
  da: {
    organisation: 'DEMO – Pulje Kommune (eksempeldata)',
    group: 'DEMO: Ungepuljen Nørrebro',
    staff: 'Lene (pædagog, demo)',
    round: 'Sommerens pulje (demo)',
    proposals: [
      {
        by: 0,
        title: 'Bålsted og grill i gården',
        description: 'Et sted at lave mad sammen om aftenen hele sommeren.',
        cost: 450_000,
        category: 'fællesskab',
      },
      {
        by: 1,
        title: 'Tur til Tivoli for hele klubben',
        description: 'Billetter og tog for alle, en lørdag i juli.',
        cost: 1_200_000,
        category: 'oplevelser',
      },
      {
        by: 2,
        title: 'Musikudstyr til øvelokalet',
        description: 'Mikrofoner, forstærker og et trommesæt, så flere kan spille.',
        cost: 800_000,
        category: 'musik',
      },
    ],
  },
  en: {
    organisation: 'DEMO – Pulje Municipality (sample data)',
    group: 'DEMO: Youth pot Nørrebro',
    staff: 'Lene (youth worker, demo)',
    round: "Summer's pot (demo)",
    proposals: [
      {
        by: 0,
        title: 'Fire pit and grill in the yard',
        description: 'A place to cook together in the evenings all summer.',
        cost: 450_000,
        category: 'community',
      },
      {
        by: 1,
        title: 'Tivoli trip for the whole club',
        description: 'Tickets and train for everyone, one Saturday in July.',
        cost: 1_200_000,
        category: 'experiences',
      },
      {
        by: 2,
        title: 'Music gear for the rehearsal room',
        description: 'Microphones, an amplifier and a drum kit so more people can play.',
        cost: 800_000,
        category: 'music',
      },
    ],
  },
} as const;

const YOUTH = ['Amina', 'Jonas', 'Sofie', 'Mikkel'] as const;

/**
 * On first run against an empty database: one demo organisation with a group, a staff member, four young
 * people and a round open for ideas with three proposals, so the whole round can be played through by hand.
 * Returns false (and does nothing) when the database already holds any organisation.
 */
export async function seedDemo(pulje: Pulje, locale: Locale): Promise<boolean> {
  if (!(await pulje.setup.isEmpty())) return false;
  const text = DEMO[locale];
  const { group, admin } = await pulje.setup.createOrganisation({
    name: text.organisation,
    group: { name: text.group, locale },
    admin: { displayName: text.staff, platform: 'web', externalId: 'demo-staff' },
  });
  const staff = { personId: admin.id };
  const youth = [];
  for (const name of YOUTH) {
    const { person } = await pulje.setup.addMember(staff, {
      groupId: group.id,
      role: 'youth',
      platform: 'web',
      externalId: `demo-${name.toLowerCase()}`,
      displayName: `${name} (demo)`,
    });
    youth.push({ personId: person.id });
  }
  const round = await pulje.rounds.create(staff, {
    groupId: group.id,
    title: text.round,
    amount: 2_000_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await pulje.rounds.openIdeas(staff, { roundId: round.id });
  for (const p of text.proposals) {
    await pulje.proposals.submit(youth[p.by]!, {
      roundId: round.id,
      title: p.title,
      description: p.description,
      cost: p.cost,
      category: p.category,
    });
  }
  return true;
}
