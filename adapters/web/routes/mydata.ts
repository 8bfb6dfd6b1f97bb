import { Hono } from 'hono';
import { z } from 'zod';
import { html, type Markup } from '../../../src/conversation/index.ts';
import { t, type Locale } from '../../../src/i18n/index.ts';
import type { PersonalDataExport } from '../../../src/usecases/index.ts';
import type { WebDeps, WebEnv } from '../context.ts';
import { signedIn } from '../session.ts';
import { pathParams, queryParams } from '../validate.ts';
import { htmlPage } from './html.ts';

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
const formatQuery = z.object({ format: z.enum(['html', 'json']).optional().catch(undefined) });

/** A JSON file to keep (GDPR art. 20: a structured, commonly used, machine-readable format). */
function jsonFile(data: PersonalDataExport): Response {
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="pulje-mine-data.json"',
      'cache-control': 'no-store',
    },
  });
}

/** The export as a page a person can read, with the same data as JSON below it. */
function exportPage(locale: Locale, data: PersonalDataExport): string {
  const tr = (key: Parameters<typeof t>[1]) => t(locale, key);
  const section = (title: string, rows: readonly unknown[]): Markup<'html'> =>
    html.tag`<section><h2>${title} (${rows.length})</h2>${
      rows.length ? html.tag`<ul>${rows.map((r) => html.tag`<li><code>${JSON.stringify(r)}</code></li>`)}</ul>` : html.tag`<p>–</p>`
    }</section>`;
  return html.tag`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${tr('privacy.mydata.title')} – Pulje</title>
<link rel="stylesheet" href="/style.css">
</head>
<body class="page">
<main data-testid="mydata">
<h1>${tr('privacy.mydata.title')}</h1>
<p>${tr('privacy.page.intro')}</p>
<section><h2>${data.person.displayName}</h2><p><code>${JSON.stringify(data.person)}</code></p></section>
${section(tr('privacy.page.accounts'), data.accounts)}
${section(tr('privacy.page.groups'), data.memberships)}
${section(tr('privacy.page.ideas'), data.ideas)}
${section(tr('privacy.page.ballots'), data.ballots)}
${section(tr('privacy.page.messages'), [...data.chatMessages, ...data.capturedMessages])}
${section(tr('privacy.page.say'), data.sayAnswers)}
${section(tr('privacy.page.reactions'), data.decisionReactions)}
${section(tr('privacy.page.lundy'), data.lundyAssessments)}
${section(tr('privacy.page.dashboardLinks'), data.dashboardLinks)}
${section(tr('privacy.page.dashboardSessions'), data.dashboardSessions)}
${section(tr('privacy.page.programme'), data.programmeAccess)}
${section(tr('privacy.page.nudges'), data.staffNudges)}
${section(tr('privacy.page.other'), [
  ...data.ballotDrafts,
  ...data.formDrafts,
  ...data.reminders,
  ...data.sayInvites,
  ...data.reminderOptOuts,
  ...data.digestSubscriptions,
  ...data.safeguardingNotes,
])}
${section(tr('privacy.page.reads'), data.readsOfMyData)}
<section><h2>JSON</h2><pre data-testid="mydata-json">${JSON.stringify(data, null, 2)}</pre></section>
</main>
</body>
</html>`.value;
}

/**
 * /mydata in the web: the one-time link from the /mydata command (a readable page, or `?format=json` for the
 * file), and the signed-in person's own export as a JSON file at any time.
 */
export function myDataRoutes(deps: WebDeps) {
  const routes = new Hono<WebEnv>();
  routes.get('/mydata/:token', pathParams(tokenParams), queryParams(formatQuery), async (c) => {
    const data = await deps.pulje.privacy.redeemExportLink(c.req.valid('param').token);
    const locale = deps.defaultLocale;
    if (!data)
      return htmlPage(
        c,
        404,
        html.tag`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>Pulje</title><p>${t(locale, 'privacy.page.gone')}</p></html>`
          .value,
      );
    if (c.req.valid('query').format === 'json') return jsonFile(data);
    return htmlPage(c, 200, exportPage(data.person.locale === 'en' ? 'en' : locale, data), {
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
  });
  routes.get('/api/me/data', signedIn(deps), async (c) => jsonFile(await deps.pulje.privacy.exportMine({ personId: c.var.personId })));
  return routes;
}
