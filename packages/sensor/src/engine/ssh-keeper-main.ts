// The connection keeper's process (started detached by a command, see ssh-keeper-client.ts). Its one argument is
// JSON: { target, socketPath, idleMs }; the SSH keys and known_hosts come from its environment, as for any
// command. It prints one line on stdout — {"ready":true} or {"error":{code,detail}} — and then only serves.
import { SshHostError } from './errors.js';
import { runKeeper } from './ssh-keeper.js';
import type { KeeperOptions } from './ssh-keeper.js';

const options = JSON.parse(process.argv[2] ?? '{}') as KeeperOptions;
const say = (line: object) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.stdout.end();
};
try {
  await runKeeper(options, () => say({ ready: true, pid: process.pid }));
  process.exit(0);
} catch (err) {
  const e = err as Error & { code?: string };
  say({ error: { code: e.code ?? 'ssh_unreachable', detail: err instanceof SshHostError ? err.detail : e.message } });
  process.exit(1);
}
