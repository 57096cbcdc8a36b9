// Every secret this process has seen, and every form it may take on the way out (the Basic header git sends).
// Each error path and every line shown to a person goes through redact(), so a token can only leak by bypassing it.

const secrets = new Set<string>();

const MASK = '***';

/** Remembers a secret (and its git Basic-auth encoding) so redact() hides it from then on. */
export function registerSecret(secret: string): void {
  if (secret.length < 4) return;
  secrets.add(secret);
  secrets.add(Buffer.from(`x-access-token:${secret}`).toString('base64'));
}

/** The Authorization header git sends over HTTPS for a token: user x-access-token, the token as password. */
export function basicAuthHeader(token: string): string {
  registerSecret(token);
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

// Shapes of GitHub tokens and auth headers, hidden even when they were never registered (e.g. one from a git config).
const PATTERNS = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /(authorization:\s*(?:basic|bearer|token)\s+)\S+/gi,
  /(https?:\/\/)[^/\s:@]+:[^/\s@]+(?=@)/g,
];

export function redact(text: string): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
  for (const pattern of PATTERNS)
    out = out.replace(pattern, (match, prefix: unknown) => (typeof prefix === 'string' ? `${prefix}${MASK}` : MASK));
  return out;
}
