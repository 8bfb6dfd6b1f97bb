/*
 * Switches for the stand-in's stricter rules. Every rule is on by default (and in the stand-in's own self-tests).
 * A rule is switched off only by an existing adapter test whose adapter does something Discord refuses; such a
 * test says so with a `// TODO(issue 10): adapter …` comment, and the adapter is to be fixed, not the rule.
 */
export interface StandInRules {
  /**
   * A simulated user can only invoke a command registered in scope (the guild's own, or global) that they may use
   * (contexts, default_member_permissions, command permission overwrites). Off: any name is delivered, as before.
   */
  commandAvailability: boolean;
}

export const DEFAULT_RULES: Readonly<StandInRules> = {
  commandAvailability: true,
};
