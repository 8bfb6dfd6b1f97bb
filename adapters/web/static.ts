import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { ROOT } from '../../src/core/paths.ts';
import type { WebEnv } from './context.ts';

export const PUBLIC_DIR = path.join(ROOT, 'adapters/web/public');
/** The page and what it loads; nothing else is served from the folder. */
export const STATIC_PATHS = ['/', '/app.js', '/render.js', '/style.css'] as const;

/**
 * The chat page and its scripts and styles, from adapters/web/public (`/` is index.html). `no-cache`: browsers
 * keep a copy but ask each time, so an upgrade reaches everyone on the next load.
 */
export function staticFiles(app: Hono<WebEnv>): void {
  const files = serveStatic<WebEnv>({
    root: PUBLIC_DIR,
    onFound: (_path, c) => {
      c.header('cache-control', 'no-cache');
    },
  });
  for (const route of STATIC_PATHS) app.get(route, files);
}
