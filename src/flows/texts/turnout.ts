import { defineCatalog } from '../../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'flow.command.turnout': 'Se, hvor mange der har stemt',
    'flow.turnout.title': 'Hvor mange har stemt? – {round}',
    'flow.turnout.open': '{ballots} af {eligible} har stemt indtil nu.',
    'flow.turnout.closed': '{ballots} af {eligible} stemte.',
    'flow.turnout.secret': 'Ingen kan se, hvem der har stemt hvad.',
    'flow.turnout.share': 'Del med gruppen',
  },
  en: {
    'flow.command.turnout': 'See how many have voted',
    'flow.turnout.title': 'How many have voted? – {round}',
    'flow.turnout.open': '{ballots} of {eligible} have voted so far.',
    'flow.turnout.closed': '{ballots} of {eligible} voted.',
    'flow.turnout.secret': 'Nobody can see who voted for what.',
    'flow.turnout.share': 'Share with the group',
  },
});
