import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (the encoding authenticator apps use for TOTP secrets). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error('not a base32 TOTP secret');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) for a time. */
export function totp(secret: string, atMs: number, step = 30, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(atMs / 1000 / step))));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const bin = ((mac[offset] as number) & 0x7f) * 2 ** 24 + (mac[offset + 1] as number) * 2 ** 16 + (mac[offset + 2] as number) * 2 ** 8 + (mac[offset + 3] as number);
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** A code is valid for the current step and one step either side (clock drift). */
export function verifyTotp(secret: string, code: string, atMs: number): boolean {
  return totpStep(secret, code, atMs) !== undefined;
}

/**
 * The time step a valid code belongs to (current, or one either side for clock drift), undefined when it is not
 * valid. The step is what makes a code single-use: RFC 6238 §5.2, a verifier must not accept the same step twice.
 */
export function totpStep(secret: string, code: string, atMs: number, step = 30): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = Math.floor(atMs / 1000 / step);
  for (const drift of [0, -1, 1]) {
    const expected = totp(secret, (now + drift) * step * 1000);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return now + drift;
  }
  return undefined;
}
