// One private engine for the whole e2e run: started here (or reused when DOCKER_HOST already answers),
// test images built once, and stopped by its PID when the run ends.
import { ensureEngine, stopEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  const engine = await ensureEngine();
  process.env['DOCKER_HOST'] = engine.dockerHost;
  buildImages(engine.dockerHost);
  return async () => {
    if (engine.owned) await stopEngine();
  };
}
