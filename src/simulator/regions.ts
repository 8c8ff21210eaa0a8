/**
 * One simulator plays the DWS endpoint of several regions: `/regions/{region}/…` is served as that region, any
 * other path as the default region (the one pairs get when they name none). A real deployment has one host per
 * region (`dws.{region}.myhuaweicloud.com`, reference §6); a path prefix gives each region its own base URL on
 * one port, and the DWS client keeps (and signs) a prefix of its endpoint.
 */

/** A region id like `cn-north-4` or `ap-southeast-1`. */
export const REGION_ID_PATTERN = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** The message of a region id that does not match {@link REGION_ID_PATTERN}, for input errors. */
export const REGION_ID_RULE = 'must be a region id like cn-north-4';

const PREFIX = '/regions/';

/** Which region's endpoint a request reached, and its path as that endpoint sees it. */
export interface RegionEndpoint {
  /** Null for a `/regions/…` path whose region is not a region id (answered as an unknown API). */
  region: string | null;
  /** The path after the prefix (`/v2/…`); the whole path when there was no prefix. */
  path: string;
}

/** Splits the region prefix off a raw (still percent-encoded) path. */
export function regionEndpoint(rawPath: string, defaultRegion: string): RegionEndpoint {
  if (!rawPath.startsWith(PREFIX)) return { region: defaultRegion, path: rawPath };
  const end = rawPath.indexOf('/', PREFIX.length);
  const region = end < 0 ? rawPath.slice(PREFIX.length) : rawPath.slice(PREFIX.length, end);
  const path = end < 0 ? '' : rawPath.slice(end);
  return { region: REGION_ID_PATTERN.test(region) ? region : null, path };
}
