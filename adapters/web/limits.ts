import { defineLimits, READABLE_LIMITS } from '../../src/conversation/index.ts';

/**
 * The built-in web chat renders with the DOM (textContent), so nothing grows when escaped; the limits only keep
 * things readable on a phone (src/conversation/limits.ts, READABLE_LIMITS).
 */
/**
 * A phone scrolls: a ballot is one native checklist, not pages, and over 100 ideas it comes with a search box.
 * At most 300 ideas: a ballot of 300 with the longest titles and descriptions is about 135 KB of JSON (180 KB
 * with two point buttons per idea), and the whole card goes to the phone again after every tick (the answer
 * and the live stream). The 64 KiB body limit is on what the browser sends (a tick is about 200 bytes), not
 * on this. A longer ballot gets the paged buttons (test/flows/choices.test.ts measures it).
 */
export const WEB_LIMITS = defineLimits({ ...READABLE_LIMITS, choiceItems: 300, choiceSearchOver: 100 });
