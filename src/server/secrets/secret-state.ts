/** How a write-only secret appears in API answers: whether it is set, never its value. */
export type SecretState = 'set' | 'not set';

/**
 * The API view of a stored (sealed) secret such as an SMTP password, a webhook URL with a
 * token or a PagerDuty key: `"set"` or `"not set"`. Secrets are write-only; nothing that holds
 * the plaintext or the ciphertext is ever serialized to a client.
 */
export function secretState(sealed: string | null | undefined): SecretState {
  return typeof sealed === 'string' && sealed !== '' ? 'set' : 'not set';
}

/**
 * Applies a write-only secret field from an update body: `undefined` keeps the stored value,
 * `null` or `""` clears it, a string replaces it (sealed by `seal`).
 */
export function updateSecret(current: string | null, incoming: string | null | undefined, seal: (plaintext: string) => string): string | null {
  if (incoming === undefined) return current;
  if (incoming === null || incoming === '') return null;
  return seal(incoming);
}
