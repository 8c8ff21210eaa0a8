/**
 * DWS endpoints by region. Kept apart from the client so configuration loads without the HTTP stack.
 */

/** Regions whose endpoints are not under `myhuaweicloud.com` (reference §6). */
const CN_REGIONS: ReadonlySet<string> = new Set([
  'cn-south-4',
  'cn-north-12',
  'cn-east-4',
  'tr-west-1',
  'ap-southeast-4',
]);
const EU_REGIONS: ReadonlySet<string> = new Set(['eu-west-101']);
/** What a region id looks like: `cn-north-4`, `ap-southeast-1`, `eu-west-101`. */
export const REGION_ID = /^[a-z]{2}(-[a-z0-9]+)+$/;

/**
 * The DWS endpoint of a region: `https://dws.{region}.myhuaweicloud.com`, `.myhuaweicloud.cn` for cn-south-4,
 * cn-north-12, cn-east-4, tr-west-1, ap-southeast-4, and `.myhuaweicloud.eu` for eu-west-101 (reference §6).
 * @throws RangeError for a string that is not a region id such as `cn-north-4`.
 */
export function regionalEndpoint(region: string): string {
  if (!REGION_ID.test(region)) throw new RangeError(`${JSON.stringify(region)} is not a region id such as cn-north-4`);
  const suffix = CN_REGIONS.has(region) ? 'cn' : EU_REGIONS.has(region) ? 'eu' : 'com';
  return `https://dws.${region}.myhuaweicloud.${suffix}`;
}
