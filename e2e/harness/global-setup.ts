// One private engine for the whole e2e run: started here (or reused when DOCKER_HOST already answers),
// test images built once, and stopped by its PID when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureEngine, stopEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  const engine = await ensureEngine();
  process.env['DOCKER_HOST'] = engine.dockerHost;
  // bcon's own state for the whole run: never the user's ~/.bcon
  const home = mkdtempSync(path.join(tmpdir(), 'bcon-e2e-home-'));
  process.env['BCON_HOME'] = home;
  buildImages(engine.dockerHost);
  return async () => {
    rmSync(home, { recursive: true, force: true });
    if (engine.owned) await stopEngine();
  };
}
