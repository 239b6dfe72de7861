// @bcon/sensor/desired — the desired state: compose files read from a git ref (no checkout) or the working tree,
// loaded the way docker compose loads them, and the files of bind mounts. Read-only, like the rest of the sensor.
import type { BconConfig } from './bcon-config.js';
import type { DesiredSource } from './source.js';

export { DesiredStateError } from './errors.js';
export type { DesiredSource, ReadOptions } from './source.js';
/** The limits on what is read from the desired state (docs/engine.md, "Limits of the desired state"), and its reader. */
export { MAX_ALIAS_NODES, MAX_DESIRED_FILE_BYTES, MAX_PROJECT_NODES, parseYamlText, readDesiredText } from './yaml-file.js';
export type { YamlKind } from './yaml-file.js';
export { findRepositoryRoot, gitRefSource, recentCommits, worktreeSource } from './source.js';
export type { BconConfig, HostConfig, ProjectConfig } from './bcon-config.js';
/** bcon.yaml hosts: name → address, and name → the key file given to it (loads zod on first use). */
export async function hostSettings(config: Pick<BconConfig, 'hosts'> | undefined, root: string): Promise<{ addresses: Record<string, string>; keys: Record<string, string> }> {
  const { hostAddresses, hostKeyFiles } = await import('./bcon-config.js');
  return { addresses: hostAddresses(config), keys: hostKeyFiles(config, root) };
}
export { BCON_CONFIG_FILE } from './config-file.js';
/** bcon.yaml: read and validated (loads zod on first use). */
export async function readBconConfig(source: DesiredSource): Promise<BconConfig | undefined> {
  return (await import('./bcon-config.js')).readBconConfig(source);
}
export type { ComposeProject, HealthcheckSpec, MountSpec, PortSpec, ServiceSpec } from './compose/service-spec.js';
export { whyNotRenderable } from './compose/renderable.js';
export type { ProjectOptions } from './compose/load.js';
export { DEFAULT_COMPOSE_FILES, loadComposeProject, normalizeProjectName } from './compose/load.js';
export { InterpolationError } from './compose/interpolate.js';
export { DotenvError } from './compose/dotenv.js';
export type { DesiredState } from './desired-state.js';
export { loadDesiredState, readProjectPlacement } from './desired-state.js';
export { desiredOnHost, hostNameOf } from './placement.js';
export type { BindFileFacts, BindMountFacts } from './bind-files.js';
export { collectBindFiles, gitBlobId } from './bind-files.js';
