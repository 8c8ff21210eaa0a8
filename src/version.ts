/**
 * The version of this package, as package.json states it (the same file from `src/` under tsx and from `lib/`).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const TOOL_VERSION: string = (require('../package.json') as { version: string }).version;
