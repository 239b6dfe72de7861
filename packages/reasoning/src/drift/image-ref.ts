/** `busybox` ≡ `busybox:latest` ≡ `docker.io/library/busybox:latest`. */
export function normalizeImageRef(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  const digest = at >= 0 ? r.slice(at) : '';
  if (at >= 0) r = r.slice(0, at);
  const lastSlash = r.lastIndexOf('/');
  const hasTag = r.lastIndexOf(':') > lastSlash;
  if (!hasTag && !digest) r += ':latest';
  r = r.replace(/^docker\.io\/library\//, '').replace(/^index\.docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  return r + digest;
}
