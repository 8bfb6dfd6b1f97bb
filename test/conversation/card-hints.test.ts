import { describe, expect, it } from 'vitest';
import { fitMessage, type Card } from '../../src/conversation/index.ts';
import { discordLike, tiny } from './surfaces.ts';

describe('card hints survive the fit step', () => {
  it('a discussion opens once, on the first piece of a card that was cut; every piece of a kept card is kept', () => {
    const card: Card = {
      title: 'Skatepark',
      body: 'Lang beskrivelse. '.repeat(20),
      fields: Array.from({ length: 7 }, (_, i) => ({ label: `Felt ${i}`, value: 'værdi' })),
      discussion: '  #3 Skatepark  ',
      keep: true,
    };
    const messages = fitMessage({ cards: [card] }, tiny);
    const pieces = messages.flatMap((m) => m.cards);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((p) => p.discussion)).toEqual(['#3 Skatepark', ...pieces.slice(1).map(() => undefined)]);
    expect(pieces.every((p) => p.keep === true)).toBe(true);
  });

  it('paged cards carry them too; cards without them carry none', () => {
    const paged = fitMessage(
      {
        cards: [
          {
            title: 'Forslag',
            fields: [{ label: 'a', value: 'b' }],
            paging: { action: { flow: 'list', verb: 'page' }, page: 0 },
            discussion: 'Forslag',
            keep: true,
          },
        ],
      },
      discordLike,
    );
    expect(paged[0]!.cards[0]).toMatchObject({ discussion: 'Forslag', keep: true });
    const plain = fitMessage({ cards: [{ title: 'Hej', discussion: '   ' }] }, discordLike)[0]!.cards[0]!;
    expect('discussion' in plain || 'keep' in plain).toBe(false);
  });
});
