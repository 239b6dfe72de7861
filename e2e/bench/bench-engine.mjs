// What the benchmarks share: an engine of their own, the docker CLI against it, a project's clean-up, timing of a whole
// command, and the median/min/max of the runs.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ping, REPO, startPrivateEngine, stopPrivateEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

export const BCON = path.join(REPO, 'apps', 'cli', 'bin', 'run.js');

/**
 * A bench's engine: a private one of its own, stopped by its PID at the end (two benches at once never share one, and
 * none stops another's), unless BCON_BENCH_DOCKER_HOST names one explicitly (left running).
 */
export async function benchEngine() {
  const explicit = process.env.BCON_BENCH_DOCKER_HOST;
  if (explicit && !(await ping(explicit))) throw new Error(`BCON_BENCH_DOCKER_HOST=${explicit} does not answer /_ping`);
  const engine = explicit ? { dockerHost: explicit, owned: false } : { ...(await startPrivateEngine('/tmp/bcon-bench-')), owned: true };
  const env = { ...process.env, DOCKER_HOST: engine.dockerHost, NO_COLOR: '1' };
  try {
    buildImages(engine.dockerHost);
  } catch (err) {
    // (an engine of its own, started for nothing: stopped by its PID before the error goes on)
    if (engine.owned) await stopPrivateEngine(engine);
    throw err;
  }
  const docker = (args) => execFileSync('docker', args, { env, encoding: 'utf8' }).trim();
  return {
    engine,
    env,
    docker,
    /** Remove every container of a compose project, 100 at a time. */
    removeProject(project) {
      const ids = docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]).split('\n').filter(Boolean);
      for (let i = 0; i < ids.length; i += 100) docker(['rm', '-f', ...ids.slice(i, i + 100)]);
    },
    /** Wall time of one command, in seconds. */
    time(cmd, args, options = {}) {
      const started = process.hrtime.bigint();
      const res = spawnSync(cmd, args, { cwd: options.cwd, env: { ...env, ...options.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (options.check !== false && res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
      return { seconds, code: res.status, stdout: res.stdout, stderr: res.stderr };
    },
    async stop() {
      if (engine.owned) await stopPrivateEngine(engine);
    },
  };
}

/** median, min and max of run times */
export function spread(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}
