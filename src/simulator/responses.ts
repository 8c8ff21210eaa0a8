/**
 * Answers as values, so the request pipeline can replace or drop them (fault injection) after the real handler
 * ran, and the error bodies the real service and its API gateway send (reference §4, §7).
 */

/** One HTTP answer: status, body text and headers. */
export interface SimResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Runs once the answer was sent (or its connection closed): for control calls that stop the listener. */
  afterSend?: () => void;
}

/** A JSON answer. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } };
}

/** An answer with a text body whose content type follows its look (HTML or plain). */
export function text(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  const type = /^\s*</.test(body) ? 'text/html' : 'text/plain';
  return { status, body, headers: { 'content-type': `${type}; charset=utf-8`, ...headers } };
}

/** A 200 with an empty body (DR delete, reference §1.1 #9). */
export function empty(status = 200): SimResponse {
  return { status, body: '', headers: {} };
}

/** The message DWS sends with `DWS.7023`. */
export const WRONG_STATE_MESSAGE = 'Cluster status is not allowed to operation.';

/** The error bodies of the DWS service and of the API gateway (APIG errors carry `request_id`). */
export const errors = {
  /** Action not allowed in the current state; carries the legacy `errCode`/`externalMessage` keys. */
  wrongState: (status: number): SimResponse =>
    json(status, {
      externalMessage: WRONG_STATE_MESSAGE,
      errCode: 'DWS.7023',
      error_code: 'DWS.7023',
      error_msg: WRONG_STATE_MESSAGE,
    }),
  /** Unknown DR id (what Terraform treats as "gone"). */
  drNotFound: (id: string): SimResponse =>
    json(400, { error_code: 'DWS.10101', error_msg: `The disaster recovery task ${id} does not exist.` }),
  clusterNotFound: (id: string): SimResponse =>
    json(404, { error_code: 'DWS.0047', error_msg: `The cluster ${id} does not exist.` }),
  internal: (): SimResponse => json(500, { error_code: 'DWS.9999', error_msg: 'Internal Server Error.' }),
  apiNotFound: (requestId: string): SimResponse =>
    json(404, {
      error_code: 'APIG.0101',
      error_msg: 'The API does not exist or has not been published in the environment',
      request_id: requestId,
    }),
  authFailed: (detail: string, requestId: string): SimResponse =>
    json(401, {
      error_code: 'APIG.0301',
      error_msg: `Incorrect IAM authentication information: ${detail}`,
      request_id: requestId,
    }),
  /** A token scoped to another project than the one in the path. */
  forbidden: (requestId: string): SimResponse =>
    json(403, {
      error_code: 'APIG.0302',
      error_msg: 'The IAM user is not authorized to access the API',
      request_id: requestId,
    }),
  throttled: (requestId: string): SimResponse =>
    json(429, {
      error_code: 'APIG.0308',
      error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second',
      request_id: requestId,
    }),
  /** What a gateway in front of the service answers for 502/503/504: HTML, not JSON. */
  gatewayHtml: (status: number): SimResponse => {
    const title = `${status} ${GATEWAY_TITLES[status] ?? 'Error'}`;
    return text(
      status,
      `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
    );
  },
  tooLarge: (): SimResponse => json(413, { error_code: 'APIG.0201', error_msg: 'Request entity too large' }),
};

const GATEWAY_TITLES: Readonly<Record<number, string>> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};
