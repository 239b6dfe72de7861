/** A small line of the session's samples with the stored baseline dashed across it (plain SVG). */
export function Spark(props: { values: Array<number | null>; baseline: number | null; max?: number | null; color: string; label: string; width?: number; height?: number }) {
  const w = props.width ?? 132;
  const h = props.height ?? 34;
  const vals = props.values.map((v) => (v === null ? null : v));
  const known = vals.filter((v): v is number => v !== null);
  const top = Math.max(props.max ?? 0, props.baseline ?? 0, ...known, 1e-9) * 1.15;
  const x = (i: number) => (vals.length <= 1 ? w : (i / (vals.length - 1)) * w);
  const y = (v: number) => h - 2 - (v / top) * (h - 4);
  const points = vals.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
  const last = known.at(-1);
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={props.label}>
      <rect x="0" y="0" width={w} height={h} rx="4" class="spark-bg" />
      {props.baseline !== null ? <line x1="0" x2={w} y1={y(props.baseline)} y2={y(props.baseline)} class="spark-base" /> : null}
      {points.length > 1 ? <polyline points={points.join(' ')} fill="none" stroke={props.color} stroke-width="1.8" stroke-linejoin="round" /> : null}
      {last !== undefined ? <circle cx={x(vals.length - 1) - 2} cy={y(last)} r="2.6" fill={props.color} /> : null}
    </svg>
  );
}

/** A horizontal bar: the value against a scale, with a baseline tick and a limit at the end. */
export function Meter(props: { value: number | null; baseline: number | null; max: number; color: string; label: string }) {
  const pct = (v: number) => `${Math.min(100, Math.max(0, (v / props.max) * 100)).toFixed(1)}%`;
  return (
    <div class="meter" role="img" aria-label={props.label}>
      {props.value !== null ? <div class="meter-fill" style={{ width: pct(props.value), background: props.color }} /> : null}
      {props.baseline !== null ? <div class="meter-base" style={{ left: pct(props.baseline) }} /> : null}
    </div>
  );
}
