import type { Analyzer } from '../finding.js';
import { badCommand } from './bad-command.js';
import { bootRace } from './boot-race.js';
import { blankSetting } from './blank-setting.js';
import { configDrift } from './config-drift.js';
import { configuredFile } from './configured-file.js';
import { connectionRefused } from './connection-refused.js';
import { cpuSaturation } from './cpu-saturation.js';
import { crashLoop } from './crash-loop.js';
import { dependencyDown } from './dependency-down.js';
import { dependencySlow } from './dependency-slow.js';
import { diskFull } from './disk-full.js';
import { dnsFailure } from './dns-failure.js';
import { healthcheckFailing } from './healthcheck-failing.js';
import { imageDrift } from './image-drift.js';
import { logErrorSpike } from './log-error-spike.js';
import { memoryPressure } from './memory-pressure.js';
import { missingConfig } from './missing-config.js';
import { oomKilled } from './oom-killed.js';
import { permissionDenied } from './permission-denied.js';
import { portConflict } from './port-conflict.js';
import { replicaDrift } from './replica-drift.js';
import { stoppedService } from './stopped-service.js';
import { tooManyOpenFiles } from './too-many-open-files.js';
import { untrackedContainer } from './untracked-container.js';

/** Every analyzer, one per file; adding one is adding it here. Together they cover every cause code. */
export const ANALYZERS: readonly Analyzer[] = [
  oomKilled,
  memoryPressure,
  cpuSaturation,
  crashLoop,
  bootRace,
  badCommand,
  missingConfig,
  blankSetting,
  configuredFile,
  dependencyDown,
  dependencySlow,
  connectionRefused,
  dnsFailure,
  diskFull,
  portConflict,
  healthcheckFailing,
  permissionDenied,
  tooManyOpenFiles,
  logErrorSpike,
  replicaDrift,
  imageDrift,
  configDrift,
  untrackedContainer,
  stoppedService,
];
