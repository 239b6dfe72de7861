import type { Target } from '@bcon/ops';
import type { TargetSelection } from '@bcon/ops/targets';
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
    host: Flags.string({ description: 'The engine to use: a host named in bcon.yaml (hosts:), or an address (ssh://user@host, unix://…, tcp://…).', helpGroup: 'GLOBAL' }),
  };

  /** the value of --host, read before flag parsing (every command has it) */
  private hostFlag: string | undefined;
  private resolved: Promise<TargetSelection> | undefined;

  /** --host NAME|ADDRESS picks the engine for the whole command: an unknown name fails before anything runs. */
  override async init(): Promise<void> {
    await super.init();
    const at = this.argv.findIndex((a) => a === '--host' || a.startsWith('--host='));
    if (at < 0) return;
    const arg = this.argv[at] as string;
    this.hostFlag = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : this.argv[at + 1];
    if (this.hostFlag) await this.selection();
  }

  /** where bcon.yaml is looked for (a command with --repo sets it before asking for targets) */
  protected repoDir: string | undefined;

  /** The engines this command may work on, resolved once (@bcon/ops targets): nothing changes process.env. */
  protected selection(): Promise<TargetSelection> {
    this.resolved ??= import('@bcon/ops/targets').then(({ resolveTargets }) => resolveTargets({ cwd: this.repoDir ?? process.cwd(), host: this.hostFlag, env: process.env }));
    return this.resolved;
  }

  /** Every engine the command covers, and whether its output is grouped by host (bcon.yaml hosts, none picked). */
  protected async targets(): Promise<{ list: Target[]; fanOut: boolean }> {
    const { fansOut, selectedTargets } = await import('@bcon/ops/targets');
    const sel = await this.selection();
    return { list: selectedTargets(sel), fanOut: fansOut(sel) };
  }

  /** For a command that works on one engine and names no service (the only host, or --host). */
  protected async oneTarget(what: string): Promise<Target> {
    const { oneTarget } = await import('@bcon/ops/targets');
    return oneTarget(await this.selection(), what);
  }

  /** For a command about one service: the engine that runs it (with several bcon.yaml hosts and none picked). */
  protected async targetOf(service: string): Promise<Target> {
    const { targetOfService } = await import('@bcon/ops/targets');
    return targetOfService(await this.selection(), service);
  }

  /** The bcon.yaml host with this name or address, if any (for a proposal or journal entry made there). */
  protected async knownTarget(nameOrAddress: string): Promise<Target | undefined> {
    const sel = await this.selection();
    return sel.configured.find((t) => t.name === nameOrAddress || t.address === nameOrAddress);
  }

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
