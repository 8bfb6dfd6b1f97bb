import { html, type Markup } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { webText } from './texts.ts';

/** Server-rendered pages: every person-written string goes through the `html` template, which escapes it. */
function page(locale: Locale, title: string, content: Markup<'html'>): string {
  return html.tag`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Pulje</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="data:,">
</head>
<body class="page">
<main class="signin" data-testid="signin">
<h1>${title}</h1>
${content}
</main>
</body>
</html>`.value;
}

export interface DemoPerson {
  id: string;
  displayName: string;
  groups: Array<{ name: string; role: string }>;
}

/** One person's role, in words a young person uses ("ung", "medarbejder"; an admin is staff to them too). */
function roleName(locale: Locale, role: string): string {
  return role === 'youth' || role === 'staff' || role === 'admin' ? webText(locale, `web.role.${role}`) : role;
}

export function signinPage(locale: Locale, opts: { demo: boolean; people: DemoPerson[]; notice?: string }): string {
  const notice = opts.notice ? html.tag`<p class="notice" role="alert">${opts.notice}</p>` : html.tag``;
  if (!opts.demo)
    return page(locale, webText(locale, 'web.signin.title'), html.tag`${notice}<p>${webText(locale, 'web.signin.invite_only')}</p>`);
  const people = opts.people.map(
    (p) =>
      html.tag`<li><form method="post" action="/signin"><input type="hidden" name="personId" value="${p.id}"><button type="submit" data-testid="demo-person" data-person-id="${p.id}">${webText(locale, 'web.signin.as', { name: p.displayName })}</button><span class="groups">${p.groups.map((g) => `${g.name} (${roleName(locale, g.role)})`).join(', ')}</span></form></li>`,
  );
  const list = people.length ? html.tag`<ul class="people">${people}</ul>` : html.tag`<p>${webText(locale, 'web.signin.no_people')}</p>`;
  return page(locale, webText(locale, 'web.signin.title'), html.tag`${notice}<p>${webText(locale, 'web.signin.demo_intro')}</p>${list}`);
}

export function messagePage(locale: Locale, title: string, text: string): string {
  return page(locale, title, html.tag`<p role="alert">${text}</p><p><a href="/signin">${webText(locale, 'web.signin.title')}</a></p>`);
}
