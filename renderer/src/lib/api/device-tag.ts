// Tells the team server which tab or window of a person is joining.
/**
 * A per-tab device tag: two tabs or windows of one user get two identities instead of kicking each
 * other out, while a reload of the same tab replaces its own stale connection.
 */
export function deviceTag(): string {
  const key = 'parley.device';
  try {
    const existing = sessionStorage.getItem(key);
    if (existing && /^[A-Za-z0-9_-]{4,32}$/.test(existing)) return existing;
    const tag = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
    sessionStorage.setItem(key, tag);
    return tag;
  } catch {
    return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  }
}
