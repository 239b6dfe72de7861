/**
 * Structured logs (pino) on stderr, quiet by default: set BCON_LOG_LEVEL=debug (or info, warn…) to see them.
 * pino is loaded only when logging is on, so a quiet command pays nothing for it.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const silent: Logger = { debug: () => {}, warn: () => {} };

export async function createLogger(env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const level = env['BCON_LOG_LEVEL'];
  if (!level || level === 'silent') return silent;
  const { pino } = await import('pino');
  const logger = pino({ name: 'bcon', level }, pino.destination(2));
  return { debug: (obj, msg) => logger.debug(obj, msg), warn: (obj, msg) => logger.warn(obj, msg) };
}
