import { ApiError, Errors, PUSH_TIMEOUT_MS } from '@beckon/protocol';
import { pushSignature } from '@beckon/protocol/node';
import { randomString } from '../ids.js';
import { exchange, NoAnswer, quoteBody } from './transport.js';

const DIGITS = '0123456789';

/** A nonce as WeChat sends them: ten digits. */
export const newNonce = () => randomString(10, DIGITS);

/** The signed query every request to the developer's server carries (spec §5.1). */
export function signedQuery(token: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = newNonce();
  return { signature: pushSignature(token, timestamp, nonce), timestamp, nonce };
}

export function withQuery(url: string, query: Record<string, string>): URL {
  const target = new URL(url);
  for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
  return target;
}

/**
 * The URL check before push is enabled (spec §5.1): `GET url?signature&timestamp&nonce&echostr`; the
 * developer's server proves it holds the token by answering the echostr, exactly, with a 2xx, in time.
 * Throws 93002 (unreachable), 93003 (timeout) or 93004 (any other answer).
 */
export async function verifyPushUrl(
  target: { url: string; token: string },
  options: { now: number; timeoutMs?: number },
): Promise<void> {
  const echostr = randomString(19, DIGITS);
  const url = withQuery(target.url, { ...signedQuery(target.token, options.now), echostr });
  const timeoutMs = options.timeoutMs ?? PUSH_TIMEOUT_MS;
  let answer: { status: number; body: string };
  try {
    answer = await exchange({ method: 'GET', url, timeoutMs });
  } catch (err) {
    if (err instanceof NoAnswer && err.kind === 'timeout') {
      throw new ApiError(
        Errors.PUSH_URL_TIMEOUT,
        `message push URL did not answer within ${timeoutMs / 1000} s: ${target.url}`,
      );
    }
    throw new ApiError(
      Errors.PUSH_URL_UNREACHABLE,
      `message push URL could not be reached: ${target.url} (${(err as Error).message})`,
    );
  }
  if (answer.status < 200 || answer.status > 299 || answer.body !== echostr) {
    throw new ApiError(
      Errors.PUSH_URL_WRONG_ECHO,
      `message push URL did not answer with the echostr: HTTP ${answer.status} ${quoteBody(answer.body)} ` +
        `(expected exactly the echostr query parameter, checked with signature = sha1 of the sorted token, ` +
        `timestamp and nonce)`,
    );
  }
}
