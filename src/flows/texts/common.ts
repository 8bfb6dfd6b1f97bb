import { defineCatalog } from '../../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'flow.round.which_title': 'Hvilken runde?',
    'flow.round.which': 'Der er {count} runder i gang samtidig. Vælg den, du mener:',
    'flow.what.running_round': 'en runde, der er i gang',
    'flow.issue.money': 'skriv {field} som et beløb i kroner, fx 2.500',
    'flow.issue.count': '{field} skal være et helt tal fra {min} til {max}',
    'flow.save': 'Gem',
    'flow.unchanged': 'Du ændrede ikke noget.',
    'flow.page.previous': '◀ Forrige',
    'flow.page.next': 'Næste ▶',
    'flow.page.of': 'Side {page} af {pages}',
    'flow.proposal.new': 'Kom med en idé',
    'flow.vote.button': 'Stem',
  },
  en: {
    'flow.round.which_title': 'Which round?',
    'flow.round.which': 'There are {count} rounds going on at once. Pick the one you mean:',
    'flow.what.running_round': 'a round that is running',
    'flow.issue.money': 'write {field} as an amount in kroner, e.g. 2,500',
    'flow.issue.count': '{field} must be a whole number from {min} to {max}',
    'flow.save': 'Save',
    'flow.unchanged': 'You didn’t change anything.',
    'flow.page.previous': '◀ Previous',
    'flow.page.next': 'Next ▶',
    'flow.page.of': 'Page {page} of {pages}',
    'flow.proposal.new': 'Share an idea',
    'flow.vote.button': 'Vote',
  },
});
