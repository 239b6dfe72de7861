/** A literal string as a regular expression matches it: every character a pattern gives a meaning to is escaped. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
