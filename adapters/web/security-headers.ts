import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every response, pages, API, static files, errors and mounted handlers alike (Hono's
 * secure-headers middleware; its other defaults, e.g. Cross-Origin-Opener-Policy, stay on).
 * - CSP without inline script: the page loads /app.js and /render.js and renders with textContent, so even a
 *   message that slipped through as markup could not run.
 * - Invite tokens travel in URLs: never hand them to another site as a referrer.
 * - HSTS only where Pulje is reached over https; on plain http it means nothing.
 * A header a mounted handler set itself is kept (the dashboard may need its own CSP).
 */
export function securityHeaders(https: boolean): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    strictTransportSecurity: https ? 'max-age=15552000; includeSubDomains' : false,
    overwrite: false,
  });
}

/** JSON answers and redirects are never cached; pages and files that may be cached say so themselves. */
export const noStoreByDefault: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
};
