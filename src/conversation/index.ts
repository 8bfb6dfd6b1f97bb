// The platform-neutral conversation layer: what adapters and flows import.
export * from './action-id.ts';
export * from './command-text.ts';
export * from './escape.ts';
export * from './events.ts';
export * from './fit.ts';
export * from './limits.ts';
export * from './outbound.ts';
export * from './ports.ts';
export * from './router.ts';
export { codeUnits, splitText, truncate, type Measure } from './text.ts';
export { memoryIdempotencyStore } from './idempotency.ts';
export { registerHelp } from './flows/help.ts';
export * from './surface.ts';
export * from './deliver.ts';
export * from './serve.ts';
