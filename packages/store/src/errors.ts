/** The database could not be opened or migrated; says which file and what to do. */
export class StoreError extends Error {
  readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}
