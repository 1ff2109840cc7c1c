import http from 'node:http';
import { ZhengyinError } from '../../common/index.ts';
import { LICENCE_HEADER, OFD_SIZE_HEADER, OPERATOR_ISSUE_PATH, type OperatorIssueRequest } from '../operator/protocol.ts';
import { readServiceFile } from '../runtime/service-file.ts';
import type { Licence } from '../services/licences/index.ts';
import type { CommandContext } from './command.ts';

/** The running service refused or failed the command; carries the service's own error code. */
export class ServiceCommandError extends ZhengyinError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** What the CLI prints of a licence the service issued (its JSON, so dates are strings). */
export type IssuedLicence = Pick<Licence, 'identifier' | 'typeName' | 'holder' | 'statusUrl' | 'documentSha256' | 'ofdSha256'>;

/**
 * Hands `zhengyin issue` to the `zhengyin start` running on the same data folder, which
 * has its keys, TSA and ledger warm: the command then takes what signing takes, not a
 * process start-up. `undefined` when there is no such service or it does not take the
 * command (gone, or not listening on loopback): the CLI then does the work itself.
 * @throws {@link ServiceCommandError} when the service took the command and refused it
 */
export async function issueThroughService(
  ctx: CommandContext,
  request: OperatorIssueRequest & { actorName: string },
): Promise<{ licence: IssuedLicence; pdf: Uint8Array; ofd?: Uint8Array } | undefined> {
  const service = readServiceFile(ctx.config.dataDir);
  if (!service) return undefined;
  let response: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
  try {
    response = await post(new URL(OPERATOR_ISSUE_PATH.slice(1), service.url), service.operatorKey, JSON.stringify(request));
  } catch (e) {
    ctx.log.warn('the running service did not answer; issuing from this process', { url: service.url, error: (e as Error).message });
    return undefined;
  }
  if (response.status === 404) return undefined;
  if (response.status !== 200) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(response.body.toString('utf8')) as { error?: typeof error }).error;
    } catch {
      // not our JSON: say what status came back
    }
    throw new ServiceCommandError(error?.code ?? `HTTP_${response.status}`, error?.message ?? `the service answered ${response.status}`);
  }
  const header = response.headers[LICENCE_HEADER];
  if (typeof header !== 'string') throw new ServiceCommandError('SERVICE_PROTOCOL', `the service's answer lacks ${LICENCE_HEADER}`);
  const licence = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as IssuedLicence;
  const ofdSize = response.headers[OFD_SIZE_HEADER];
  if (ofdSize === undefined) return { licence, pdf: new Uint8Array(response.body) };
  const split = response.body.length - Number(ofdSize);
  if (typeof ofdSize !== 'string' || !/^\d{1,10}$/.test(ofdSize) || split <= 0) throw new ServiceCommandError('SERVICE_PROTOCOL', `the service's ${OFD_SIZE_HEADER} does not fit its answer`);
  return { licence, pdf: new Uint8Array(response.body.subarray(0, split)), ofd: new Uint8Array(response.body.subarray(split)) };
}

// node:http, not fetch: loading fetch's implementation costs a CLI command more than the call.
function post(url: URL, key: string, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
