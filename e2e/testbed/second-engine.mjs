// A second private dockerd beside the test bed's (its own data, exec root and socket): a second "host" for the
// remote-hosts tests. Stopped by its PID, with what it leaves behind.
import { startPrivateEngine, stopPrivateEngine } from './engine.mjs';
import { buildImages } from './images.mjs';

export async function startSecondEngine() {
  const engine = await startPrivateEngine('/tmp/bcon-tb2-');
  buildImages(engine.dockerHost);
  return { dockerHost: engine.dockerHost, pid: engine.pid, stop: () => stopPrivateEngine(engine) };
}
