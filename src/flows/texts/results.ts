import { defineCatalog } from '../../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'flow.command.results': 'Se resultatet',
    'flow.result.title': 'Resultat: {round}',
    'flow.result.turnout': '{ballots} af {eligible} stemte.',
    'flow.result.turnout_only': '{ballots} stemte.',
    'flow.result.money': 'Der er brugt {spent} af {budget}, og der er {left} tilbage.',
    'flow.result.none_funded': 'Ingen idéer fik penge denne gang.',
    'flow.result.rule': 'Sådan blev der talt op: {rule}.',
    'flow.result.reopened': 'Afstemningen er åbnet igen. Dette resultat gælder, indtil den lukker igen.',
    'flow.result.footer': 'Vil du tjekke, at din stemme er talt med? Skriv /kvittering.',
  },
  en: {
    'flow.command.results': 'See the result',
    'flow.result.title': 'Result: {round}',
    'flow.result.turnout': '{ballots} of {eligible} voted.',
    'flow.result.turnout_only': 'Votes: {ballots}.',
    'flow.result.money': '{spent} of {budget} is spent, and {left} is left.',
    'flow.result.none_funded': 'No idea got money this time.',
    'flow.result.rule': 'How votes were counted: {rule}.',
    'flow.result.reopened': 'Voting has been opened again. This result stands until it closes again.',
    'flow.result.footer': 'Want to check your vote is counted? Type /receipt.',
  },
});
