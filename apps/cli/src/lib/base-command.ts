import { Command, Flags } from '@oclif/core';

/** An error that carries the exit code bcon documents (2: could not check) and a stable code for --json. */
interface CodedError {
  message: string;
  code?: string;
  exitCode?: number;
}

/**
 * Common behaviour of bcon commands: `--json`, and errors as one line (`bcon: …`) with exit code 2, never a
 * stack trace (BCON_LOG_LEVEL=debug shows it).
 */
export abstract class BconCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print machine-readable JSON (stable schema, see docs/).', default: false }),
  };

  protected jsonMode(): boolean {
    return this.argv.includes('--json');
  }

  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  protected override async catch(err: Error & CodedError & { oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own parse errors and exits keep their behaviour.
    if (err.oclif) return super.catch(err);
    const exitCode = typeof err.exitCode === 'number' ? err.exitCode : 2;
    if (this.jsonMode()) this.printJson({ error: { code: err.code ?? 'internal', message: err.message } });
    process.stderr.write(`bcon: ${err.message}\n`);
    if (process.env['BCON_LOG_LEVEL'] === 'debug' && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = exitCode;
    return undefined;
  }
}
