import { defineCatalog } from '../../i18n/catalog.ts';

/** A person's overview across their groups (Slack's App Home): where each round stands and their next step. */
export default defineCatalog({
  da: {
    'flow.home.title': 'Pulje',
    'flow.home.none': 'Du er ikke med i nogen gruppe endnu. Skriv /pulje i en kanal, der er koblet til en gruppe.',
    'flow.home.no_round': 'Ingen runde i gang lige nu.',
    'flow.home.round': '{round} · {phase}',
    'flow.home.youth.ideas': 'Næste skridt: kom med en idé (/pulje foreslå).',
    'flow.home.youth.voting': 'Næste skridt: stem (/pulje stem).',
    'flow.home.youth.voted': 'Du har stemt. Du kan ændre din stemme, indtil afstemningen lukker.',
    'flow.home.youth.decided': 'Resultatet er klar (/pulje resultat).',
    'flow.home.youth.other': 'Der er ikke noget, du skal gøre lige nu.',
    'flow.home.staff.draft': 'Venter på dig: åbn runden for idéer (/pulje runde).',
    'flow.home.staff.ideas': '{count, plural, one {# idé} other {# idéer}} at se igennem (/pulje forslag).',
    'flow.home.staff.voting': 'Venter på dig: luk afstemningen, når tiden er gået (/pulje luk).',
    'flow.home.staff.other': 'Ikke noget, der venter på dig.',
    'flow.home.decisions': 'Seneste beslutninger: {count, plural, one {# beslutning} other {# beslutninger}} (/pulje beslutninger).',
  },
  en: {
    'flow.home.title': 'Pulje',
    'flow.home.none': 'You are not in any group yet. Type /pulje in a channel that is linked to a group.',
    'flow.home.no_round': 'No round under way right now.',
    'flow.home.round': '{round} · {phase}',
    'flow.home.youth.ideas': 'Next step: bring an idea (/pulje propose).',
    'flow.home.youth.voting': 'Next step: vote (/pulje vote).',
    'flow.home.youth.voted': 'You have voted. You can change your vote until voting closes.',
    'flow.home.youth.decided': 'The result is ready (/pulje results).',
    'flow.home.youth.other': 'Nothing for you to do right now.',
    'flow.home.staff.draft': 'Waiting for you: open the round for ideas (/pulje round).',
    'flow.home.staff.ideas': '{count, plural, one {# idea} other {# ideas}} to look through (/pulje proposals).',
    'flow.home.staff.voting': 'Waiting for you: close voting when the time is up (/pulje close).',
    'flow.home.staff.other': 'Nothing waiting for you.',
    'flow.home.decisions': 'Recent decisions: {count, plural, one {# decision} other {# decisions}} (/pulje decisions).',
  },
});
