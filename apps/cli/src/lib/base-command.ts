import type { Target } from '@bcon/ops';
import { Command, Flags } from '@oclif/core';
import type { BconConfig } from '@bcon/sensor/desired';
import { InputError } from './input-error.js';

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

  private hostSettings: { addresses: Record<string, string>; keys: Record<string, string> } | undefined;

  /** bcon.yaml hosts of the repository around the working directory (name → engine address). */
  protected async configuredHosts(): Promise<Record<string, string>> {
    if (!this.hostSettings) {
      const { bconYamlWithRoot } = await import('./bcon-yaml.js');
      const found = await bconYamlWithRoot(process.cwd());
      const settings = found ? await (await import('@bcon/sensor/desired')).hostSettings(found.config as BconConfig, found.root) : { addresses: {}, keys: {} };
      this.hostSettings = settings;
      return settings.addresses;
    }
    return this.hostSettings.addresses;
  }

  /** The environment that reaches a bcon.yaml host: its address, and the key file bcon.yaml gives it. */
  protected hostEnv(name: string, address: string): NodeJS.ProcessEnv {
    const key = this.hostSettings?.keys[name];
    return { ...process.env, DOCKER_HOST: address, ...(key ? { BCON_SSH_KEY: key } : {}) };
  }

  /** Make a bcon.yaml host the engine of the whole command. */
  protected useHost(name: string | undefined, address: string): void {
    process.env['DOCKER_HOST'] = address;
    const key = name ? this.hostSettings?.keys[name] : undefined;
    if (key) process.env['BCON_SSH_KEY'] = key;
    this.hostName = name;
  }

  /** the bcon.yaml name of the host --host picked (undefined for an address that no host of bcon.yaml has) */
  protected hostName: string | undefined;

  /** --host NAME|ADDRESS picks the engine for the whole command (before any flag parsing needs it). */
  override async init(): Promise<void> {
    await super.init();
    const at = this.argv.findIndex((a) => a === '--host' || a.startsWith('--host='));
    if (at < 0) return;
    const arg = this.argv[at] as string;
    const host = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : this.argv[at + 1];
    if (!host) return;
    const hosts = await this.configuredHosts();
    const address = hosts[host] ?? (/^(ssh|unix|tcp|npipe):\/\//.test(host) ? host : undefined);
    if (!address) {
      throw new InputError(`no host named "${host}" in bcon.yaml (hosts: ${Object.keys(hosts).join(', ') || 'none'}); or give an address such as ssh://user@host`, 'unknown_host');
    }
    this.useHost(hosts[host] ? host : Object.entries(hosts).find(([, a]) => a === address)?.[0], address);
  }

  /**
   * For a command about one service: with bcon.yaml hosts and none picked (--host, DOCKER_HOST), the host that
   * runs it becomes the engine of the command. Returns its name, or the name --host gave.
   */
  protected async useHostOf(target: string): Promise<string | undefined> {
    if (process.env['DOCKER_HOST']) return this.hostName;
    const hosts = await this.configuredHosts();
    const names = Object.keys(hosts);
    if (!names.length) return undefined;
    const { hostOfTarget } = await import('./locate-target.js');
    // one host: that one (the service may not run yet); several: the one that runs it
    const found = names.length === 1 ? { name: names[0] as string, address: hosts[names[0] as string] as string } : await hostOfTarget(target, hosts, (n, a) => this.hostEnv(n, a));
    this.useHost(found.name, found.address);
    return found.name;
  }

  /**
   * For a command that works on one engine and names no service: with bcon.yaml hosts and none picked, the only
   * host, or a clear error when there are several. Returns the host's name.
   */
  protected async oneHost(what: string): Promise<string | undefined> {
    if (process.env['DOCKER_HOST']) return this.hostName;
    const hosts = Object.entries(await this.configuredHosts());
    if (!hosts.length) return undefined;
    if (hosts.length > 1) throw new InputError(`${what} works on one host: add --host NAME (hosts: ${hosts.map(([n]) => n).join(', ')})`, 'needs_host');
    const [name, address] = hosts[0] as [string, string];
    this.useHost(name, address);
    return name;
  }

  /** The engine this command works on, as @bcon/ops takes it. */
  protected target(): Target {
    const address = process.env['DOCKER_HOST'] || 'unix:///var/run/docker.sock';
    return { ...(this.hostName ? { name: this.hostName } : {}), address, env: { ...process.env } };
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
