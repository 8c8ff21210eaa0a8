/**
 * Whether an intake secret is fit to guard the failover endpoints. Kept apart from the server so configuration loads
 * without the HTTP stack.
 */

/** The shortest bearer token accepted: what `openssl rand -hex 16` prints; the docs recommend `-hex 32`. */
export const MIN_INTAKE_TOKEN_LENGTH = 32;

/**
 * Placeholders that example and template files put where a secret belongs. `replace-with-openssl-rand-hex-32` is
 * itself 32 characters long: a length check alone would let it through.
 */
const PLACEHOLDER =
  /replace[-_ ]?(me|with|this)|change[-_ ]?(me|it|this)|placeholder|your[-_ ]?(own[-_ ]?)?(token|secret)|^<.*>$|^\$\{.*\}$/i;

/**
 * The problem with `value` as the secret of variable `name`, or null when it is acceptable: a placeholder copied from
 * an example, or shorter than `minLength`. The message names the variable and the fix, never the value.
 */
export function weakSecretProblem(name: string, value: string, minLength: number): string | null {
  if (PLACEHOLDER.test(value)) {
    return `${name} holds a placeholder from an example file, not a secret: anyone who read that file could start a failover. Set it to the output of \`openssl rand -hex 32\`.`;
  }
  if (value.length < minLength) {
    return `${name} is shorter than ${minLength} characters; set it to the output of \`openssl rand -hex 32\`.`;
  }
  return null;
}
