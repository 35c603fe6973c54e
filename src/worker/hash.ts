/**
 * A content hash of a read model that does not depend on row order: each row (key and
 * value as JSON) is hashed with two independent 32-bit FNV-1a variants, and the row hashes
 * are summed. Two models with the same rows hash the same however they were built.
 */
export function contentHash(model: ReadonlyMap<string, unknown>): string {
  let a = 0;
  let b = 0;
  for (const [key, value] of model) {
    const text = `${key}\u0000${JSON.stringify(value)}`;
    a = (a + fnv1a(text, 0x811c9dc5)) >>> 0;
    b = (b + fnv1a(text, 0x01000193 ^ 0x5bd1e995)) >>> 0;
  }
  return `${model.size.toString(16)}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

function fnv1a(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
