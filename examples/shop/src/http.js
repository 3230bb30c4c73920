/** Small node:http helpers: JSON bodies in and out, and errors that carry their status. */

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON object body; 400 for anything else, 413 past 64 KB. */
export async function readJsonBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'body must be a JSON object');
  return body;
}

export function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(value)}\n`);
}

export function requireString(body, name, max = 256) {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  return v;
}
