/**
 * Config errors are printed to the terminal and to logs, so they must never quote a secret
 * (TINGJIAN_MASTER_KEY, an OIDC client secret, the password inside a postgres:// URL). Settings
 * are secret by name, so keys added later are covered without touching this file.
 */
const SECRET_KEY = /secret|password|passphrase|token|masterkey|apikey|privatekey/i;
/** Names that look secret but hold a duration, size or path (tokenTtlMinutes, tlsKeyFile). */
const NOT_SECRET = /(ttl|seconds|minutes|hours|days|ms|file|path|dir|length|bytes|count|enabled)$/i;
const MASK = '[redacted]';

export const isSecretSetting = (key: string): boolean => SECRET_KEY.test(key) && !NOT_SECRET.test(key);

/** The password of every `scheme://user:password@host` URL in the text. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi;

/** Every secret value in the input: values of secret-named settings, URL passwords. */
function secretValues(input: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (isSecretSetting(key) && typeof value === 'string' && value.length > 0) out.push(value);
    if (typeof value === 'string') for (const m of value.matchAll(/:\/\/[^:/@\s]*:([^@\s]+)@/g)) out.push(m[1]!);
  }
  // Longest first, so a secret containing a shorter one is masked whole.
  return out.sort((a, b) => b.length - a.length);
}

/**
 * The messages with every secret of `input` masked (and any URL password, whatever its setting).
 * @example redactSecrets(['masterKey: too short: abc'], { masterKey: 'abc' }) // ['masterKey: too short: [redacted]']
 */
export function redactSecrets(messages: string[], input: Record<string, unknown>): string[] {
  const secrets = secretValues(input);
  return messages.map((m) => secrets.reduce((text, s) => text.split(s).join(MASK), m).replace(URL_PASSWORD, `$1${MASK}@`));
}

/**
 * A JSON.parse error about a config file, without the slice of the file V8 quotes
 * (`Unexpected token 'S', ..."sterKey": S3CRET }" is not valid JSON`), with the position as
 * line:column so the user can still find it.
 */
export function jsonSyntaxProblem(e: Error, text: string): string {
  const message = e.message.replace(/^(Unexpected token) .*$/s, '$1 (the file text is not quoted: it may hold secrets)');
  return message.replace(/ in JSON at position (\d+).*$/s, (_, p: string) => {
    const before = text.slice(0, Number(p)).split('\n');
    return ` at line ${before.length} column ${before.at(-1)!.length + 1}`;
  });
}
