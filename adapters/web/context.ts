import type { HttpBindings } from '@hono/node-server';
import type { Config } from '../../src/config/env.ts';
import type { KnownReads, Logger, Router } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import type { Signer } from './auth.ts';
import type { Hub } from './hub.ts';
import type { LoadSignal } from './overload.ts';
import type { RateLimits } from './rate-limit.ts';
import type { StoredMessage, WebConversation, WebStore } from './store.ts';
import type { EventStreams } from './stream.ts';

export type WebConfig = Pick<Config, 'HOST' | 'PORT' | 'PULJE_DEMO' | 'PULJE_LOCALE'> &
  Partial<
    Pick<
      Config,
      | 'PULJE_SECRET'
      | 'PULJE_PUBLIC_URL'
      | 'PULJE_TRUST_PROXY'
      | 'PULJE_MAX_INFLIGHT'
      | 'PULJE_LISTEN_SOCKETS'
      | 'PULJE_MAX_LOOP_UTILIZATION'
      | 'PULJE_RATE_LIMITS'
      | 'PULJE_RATE_LIMIT_SIGNIN_PERSON'
      | 'PULJE_RATE_LIMIT_SIGNIN_ADDRESS'
      | 'PULJE_RATE_LIMIT_INVITES_PERSON'
      | 'PULJE_RATE_LIMIT_INVITES_ADDRESS'
      | 'PULJE_RATE_LIMIT_MESSAGES_PERSON'
      | 'PULJE_RATE_LIMIT_MESSAGES_ADDRESS'
    >
  >;

export type Person = NonNullable<Awaited<ReturnType<WebStore['person']>>>;

/** What every request carries; middleware adds the person and the room once they are known. */
export interface WebEnv {
  Bindings: HttpBindings;
  Variables: {
    /** Language for answers and errors: the person's (or their room's) once known, else the server's. */
    locale: Locale;
    /** Whom the request acts as or for, once known: the per-person rate limits key on it. */
    personId?: string;
  };
}

export interface SignedInEnv extends WebEnv {
  Variables: WebEnv['Variables'] & { person: Person };
}

export interface RoomEnv extends WebEnv {
  /** `named`: the message the request's body names, read with the room (null: not in it, or not theirs to see). */
  Variables: SignedInEnv['Variables'] & {
    room: WebConversation;
    named?: { id: string; message: StoredMessage | null };
    /** What the room's read found for the event's handler (the rounds voting now), when it may act. */
    reads?: KnownReads;
  };
}

/** Everything the routes share, built once per server. */
export interface WebDeps {
  config: WebConfig;
  router: Router;
  pulje: Pulje;
  log: Logger;
  store: WebStore;
  hub: Hub;
  signer: Signer;
  streams: EventStreams;
  limits: RateLimits;
  defaultLocale: Locale;
  /** Demo sign-in: anyone may pick a person (no PULJE_SECRET, or PULJE_DEMO=true). */
  demo: boolean;
  /** How busy the process's event loop is (overload.ts): past PULJE_MAX_LOOP_UTILIZATION new requests get 503. */
  load: LoadSignal;
  /** GET /metrics: the process's memory and whatever counters the composition root adds. */
  metrics(): Record<string, unknown>;
  secureCookies: boolean;
  issueInvite(personId: string, groupId: string, ttlMs?: number): { url: string; expiresAt: Date };
}
