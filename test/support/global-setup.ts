// CI must prove both engines: a run there without PostgreSQL is a failure, not a quiet skip.
export default function setup(): void {
  if (process.env.CI && !process.env.TEST_DATABASE_URL) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL suite would be skipped.');
  }
}
