import { defineLimits, READABLE_LIMITS } from '../../src/conversation/index.ts';

/**
 * The built-in web chat renders with the DOM (textContent), so nothing grows when escaped; the limits only keep
 * things readable on a phone (src/conversation/limits.ts, READABLE_LIMITS).
 */
// A phone scrolls: a ballot of up to 100 ideas is one native checklist, not pages.
export const WEB_LIMITS = defineLimits({ ...READABLE_LIMITS, choiceItems: 100 });
