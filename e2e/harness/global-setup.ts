// One private engine for the whole e2e run, started here and stopped by its PID when the run ends: never the demo's
// engine or whatever DOCKER_HOST points at (BCON_E2E_DOCKER_HOST names one explicitly). Test images built once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { engineForTests, stopPrivateEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  const engine = await engineForTests();
  process.env['DOCKER_HOST'] = engine.dockerHost;
  // bcon's own state for the whole run: never the user's ~/.bcon
  const home = mkdtempSync(path.join(tmpdir(), 'bcon-e2e-home-'));
  process.env['BCON_HOME'] = home;
  buildImages(engine.dockerHost);
  return async () => {
    rmSync(home, { recursive: true, force: true });
    if (engine.owned && 'pid' in engine) await stopPrivateEngine(engine);
  };
}
