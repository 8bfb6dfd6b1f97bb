import type { Pulje } from '../src/usecases/index.ts';

/** A group for the ballot benchmarks: `voters` young members and one approval round in voting with ten ideas. */
/** `settings` replaces the round's defaults (an approval ballot of up to 3 picks). */
export async function seedVotingGroup(pulje: Pulje, voters: number, proposals = 10, settings: Record<string, unknown> = {}) {
  const boot = await pulje.setup.createOrganisation({
    name: 'Bench',
    group: { name: 'Bench' },
    admin: { displayName: 'Admin', platform: 'web', externalId: 'admin' },
  });
  const admin = { personId: boot.admin.id };
  const youth: { personId: string }[] = [];
  for (let i = 0; i < voters; i++) {
    const added = await pulje.setup.addMember(admin, {
      groupId: boot.group.id,
      role: 'youth',
      platform: 'web',
      externalId: `v${i}`,
      displayName: `Voter ${i}`,
    });
    youth.push({ personId: added.person.id });
  }
  const round = await pulje.rounds.create(admin, {
    groupId: boot.group.id,
    title: 'Bench',
    amount: 10_000_000,
    ballotType: 'approval',
    rule: 'greedy',
    maxPicks: 3,
    ...settings,
  });
  await pulje.rounds.openIdeas(admin, { roundId: round.id });
  for (let i = 0; i < proposals; i++) {
    await pulje.proposals.submit(youth[i % voters]!, {
      roundId: round.id,
      title: `Idé ${i + 1}`,
      description: 'Bench',
      cost: 100_000 * (i + 1),
    });
  }
  await pulje.rounds.openVoting(admin, { roundId: round.id });
  return { admin, groupId: boot.group.id, round, youth };
}
