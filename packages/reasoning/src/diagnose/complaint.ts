import type { CauseCode } from './log-patterns.js';

/** What a complaint is about; it steers which symptoms matter (it never invents a cause). */
export type ComplaintTopic = 'slow' | 'restarting' | 'down' | 'errors' | 'memory' | 'cpu' | 'health' | 'capacity' | 'disk' | 'network' | 'config';

const TOPICS: Array<[ComplaintTopic, RegExp]> = [
  ['slow', /slow|latenc|\blag(?:s|gy|ging)?\b|sluggish|forever|takes? (?:too )?long|time ?out|timing out|\bhang|\bhung\b|stuck|느리|느려|지연|오래 걸|타임아웃|멈춰/i],
  ['restarting', /restart|crash|keeps? (?:failing|dying|exiting)|flap|loop|bounc|재시작|크래시|죽었다 살|반복/i],
  ['down', /\bdown\b|not (?:up|running|start|come up|respond)|does(?:n'?t| not) (?:come up|start|respond|run)|won'?t start|stopped|dead|unreachable|offline|gone|안 ?떠|안 ?됨|안 ?돼|죽었|멈췄|중지|접속.*안/i],
  ['errors', /error|5\d\d|fail|exception|broken|500|502|503|504|에러|오류|실패|예외/i],
  ['memory', /memory|\bram\b|\boom\b|out of mem|leak|메모리|누수/i],
  ['cpu', /\bcpu\b|load|hot|busy|throttl|씨피유|부하/i],
  ['health', /health|unhealthy|헬스|상태 ?검사/i],
  ['capacity', /capacity|replica|scale|instances?|fewer|less (?:than|capacity)|throughput|용량|복제|인스턴스/i],
  ['disk', /disk|space|storage|volume|full|디스크|용량 부족|저장/i],
  ['network', /connect|dns|resolve|network|host ?name|refused|연결|네트워크/i],
  ['config', /config|env(?:ironment)?\b|variable|setting|missing|설정|환경 ?변수|누락/i],
];

/** Which topics each cause speaks to. */
export const CAUSE_TOPICS: Record<CauseCode, readonly ComplaintTopic[]> = {
  oom_killed: ['memory', 'restarting', 'down'],
  memory_pressure: ['memory', 'slow'],
  cpu_saturation: ['cpu', 'slow'],
  crash_loop: ['restarting', 'down', 'errors'],
  bad_command: ['down', 'restarting', 'config'],
  missing_config: ['config', 'restarting', 'down', 'errors'],
  dependency_down: ['errors', 'down', 'network', 'restarting'],
  dependency_slow: ['slow'],
  connection_refused: ['errors', 'network'],
  dns_failure: ['errors', 'network'],
  disk_full: ['disk', 'errors', 'restarting'],
  port_conflict: ['down', 'network', 'restarting'],
  healthcheck_failing: ['health', 'down'],
  permission_denied: ['errors', 'restarting', 'down', 'config'],
  too_many_open_files: ['errors', 'slow'],
  log_error_spike: ['errors'],
  replica_drift: ['capacity', 'slow'],
  image_drift: ['errors', 'config'],
  config_drift: ['config', 'errors'],
  untracked_container: ['config'],
  stopped_service: ['down'],
};

export function complaintTopics(complaint: string | undefined): Set<ComplaintTopic> {
  const out = new Set<ComplaintTopic>();
  if (!complaint) return out;
  for (const [topic, re] of TOPICS) if (re.test(complaint)) out.add(topic);
  return out;
}
