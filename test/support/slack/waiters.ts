/**
 * Promises that settle when the stand-in's state reaches a condition. Every state change calls notify(); nothing
 * polls on a timer. The timeout only bounds a broken test so it fails with a description instead of hanging.
 */
export class Waiters {
  readonly #pending = new Set<() => boolean>();

  constructor(
    private readonly label: string,
    private readonly defaultTimeoutMs: number,
  ) {}

  notify(): void {
    for (const check of [...this.#pending]) {
      if (check()) this.#pending.delete(check);
    }
  }

  /** Resolves with probe()'s first value that is not undefined; a throwing probe rejects. */
  until<T>(probe: () => T | undefined, description: string, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const check = (): boolean => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (err) {
          if (timer) clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
          return true;
        }
        if (value === undefined) return false;
        if (timer) clearTimeout(timer);
        resolve(value);
        return true;
      };
      if (check()) return;
      this.#pending.add(check);
      timer = setTimeout(() => {
        this.#pending.delete(check);
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      timer.unref();
    });
  }
}
