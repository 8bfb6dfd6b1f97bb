import { PuljeError } from '../core/errors.ts';
import type { Router } from '../conversation/router.ts';
import { reply } from '../conversation/outbound.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Pulje } from '../usecases/index.ts';

const CHOICES: Record<string, Locale> = { da: 'da', dansk: 'da', danish: 'da', en: 'en', engelsk: 'en', english: 'en' };

/** `/language da|en` (`/sprog`): the language Pulje speaks to this person privately, remembered for them. */
export function registerLanguage(router: Router, pulje: Pulje): void {
  router
    .command({
      name: 'language',
      description: 'flow.command.language',
      requires: 'person',
      args: [{ name: 'language', hint: 'flow.language.hint', required: true }],
      async handler(ctx, { args }) {
        const locale = CHOICES[(args.language ?? '').trim().toLowerCase()];
        if (!locale) throw new PuljeError('invalid_input', {}, [{ key: 'flow.language.unknown' }]);
        await pulje.setup.setLanguage({ personId: ctx.person.personId }, { locale });
        // Said in the language just chosen.
        return reply.private(t(locale, 'flow.language.set'));
      },
    })
    .alias('sprog', 'language');
}
