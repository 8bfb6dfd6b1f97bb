import { defineLimits, READABLE_LIMITS } from '../../src/conversation/index.ts';

/** A terminal shows plain text: the readable defaults, with room for a long list of fields (help, proposals). */
export const SHELL_LIMITS = defineLimits({ ...READABLE_LIMITS, fieldsPerCard: 50 });
