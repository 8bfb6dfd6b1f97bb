import { createTranslator, defineCatalog } from '../../src/i18n/index.ts';

/** The Slack adapter's own texts: what only Slack makes necessary. */
export const SLACK_TEXTS = defineCatalog({
  da: {
    'slack.invite_bot':
      'Pulje er ikke med i denne kanal, så svaret kom som et engangssvar: Pulje kan ikke rette det, åbne tråde på det eller skrive her af sig selv. Skriv /invite @Pulje i kanalen.',
  },
  en: {
    'slack.invite_bot':
      'Pulje is not in this channel, so the answer came as a one-off reply: Pulje cannot update it, open threads on it or post here on its own. Type /invite @Pulje in the channel.',
  },
});

export const slackText = createTranslator(SLACK_TEXTS);
