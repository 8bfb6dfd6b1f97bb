import { defineCatalog } from '../../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'flow.say.title': 'Havde du reelt noget at skulle have sagt?',
    'flow.say.body':
      'Fra 1 (slet ikke) til 5 (helt klart). Det er frivilligt, og du bliver kun spurgt én gang. Ingen kan se, hvad du svarer; de voksne ser kun, hvor mange der svarede hvad, og først når mindst fem har svaret.',
    'flow.say.about': 'Om «{round}», som der nu er en afgørelse på.',
    'flow.say.score': '{score}',
    'flow.say.thanks': 'Tak! Du svarede {score}.',
  },
  en: {
    'flow.say.title': 'Did you have a real say?',
    'flow.say.body':
      'From 1 (not at all) to 5 (absolutely). It is optional, and you are asked only once. Nobody can see what you answer; staff only see how many gave each answer, and only once at least five have answered.',
    'flow.say.about': 'About "{round}", which has now been decided.',
    'flow.say.score': '{score}',
    'flow.say.thanks': 'Thank you! You answered {score}.',
  },
});
