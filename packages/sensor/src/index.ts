// @bcon/sensor — read-only facts from a Docker engine. There is no write function here, and the transport
// refuses every HTTP method other than GET and HEAD before anything reaches the engine.
export type { EngineEndpoint } from './engine/endpoint.js';
export { DEFAULT_SOCKET, endpointFromEnv, parseEngineAddress } from './engine/endpoint.js';
export {
  EngineAddressError,
  EngineApiTooOldError,
  EnginePermissionError,
  EngineResponseError,
  EngineTimeoutError,
  EngineUnreachableError,
  ReadOnlyViolationError,
  SensorError,
  SshHostError,
} from './engine/errors.js';
export type { Query, TransportOptions, TransportRequest } from './engine/readonly-transport.js';
export { READ_METHODS, ReadOnlyTransport, tlsFromEnv } from './engine/readonly-transport.js';
export { EngineClient, MAX_API_VERSION, MIN_API_VERSION, compareApiVersions } from './engine/client.js';
export type { HostKeyVerdict } from './engine/known-hosts.js';
export { fingerprint, knownHostsName, knownHostsPath, verifyHostKey } from './engine/known-hosts.js';
export { SshTunnel, readSshPrivateKey, sshKeyFile, sshTimeoutMs } from './engine/ssh-tunnel.js';
export type { ComposeIdentity } from './compose/labels.js';
export { COMPOSE_LABELS, composeIdentity } from './compose/labels.js';
export type { ContainerFacts, ContainerState, HealthProbe, HealthStatus } from './collect/containers.js';
export { collectContainers } from './collect/containers.js';
export type { HostLock, LockOwner } from './collect/host-lock.js';
export { LOCK_LABELS, LOCK_NAME, isLockContainer, lockLabels, lockOfLabels, lockStaleness } from './collect/host-lock.js';
export type { CpuCounters, StatsFacts, StatsOptions, StatsSource, StatsTarget } from './collect/stats.js';
export { collectStats, cpuPercent } from './collect/stats.js';
export type { FsUsage } from './collect/fs-usage.js';
export { TMPFS_MAGIC, collectFsUsage } from './collect/fs-usage.js';
export type { EngineEventFact } from './collect/events.js';
export { collectEvents } from './collect/events.js';
export type { LogBounds, LogLine, LogWindow } from './collect/logs.js';
export { collectLogWindow, collectLogs, demultiplex, splitLines } from './collect/logs.js';
export type { EngineFacts, Snapshot, SnapshotOptions } from './snapshot.js';
export { collectEngineFacts, collectSnapshot } from './snapshot.js';
export type { ImageFacts } from './collect/images.js';
export { collectImages } from './collect/images.js';
export { keyValueList } from './util/key-value.js';
// the name of bcon's repository file, without loading the desired-state modules
export { BCON_CONFIG_FILE } from './desired/config-file.js';
// the desired state (compose files from git) is the subpath '@bcon/sensor/desired', so that commands that do not
// read it do not load yaml, zod, ajv and isomorphic-git
export { engineRuntime } from './engine/api-types.js';
// a swarm manager's services, tasks and nodes (docs/swarm.md)
export type { SwarmFacts, SwarmNodeFacts, SwarmServiceFacts, SwarmTaskFacts } from './swarm/read-swarm.js';
export { STACK_NAMESPACE_LABEL, findSwarmService, isSwarmTask, readSwarm, serviceFacts, splitImageDigest } from './swarm/read-swarm.js';
export { collectServiceLogs } from './swarm/service-logs.js';
