import type { Pulje } from '../../src/usecases/index.ts';

/** The round most tests start from: "Sommerpuljen", 10.000 kr., approval and greedy, open for ideas. */
export async function ideasRound(pulje: Pulje, staff: { personId: string }, groupId: string, settings: Record<string, unknown> = {}) {
  const round = await pulje.rounds.create(staff, {
    groupId,
    title: 'Sommerpuljen',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
    ...settings,
  });
  await pulje.rounds.openIdeas(staff, { roundId: round.id });
  return round;
}
