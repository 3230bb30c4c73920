import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

const redact = (url: string) => url.replace(/([?&](?:access_token|secret|js_code)=)[^&]*/g, '$1***');

/** One log line per request, carrying the id (`reqId`) that also ends every errmsg (` rid: …`). */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: redact(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}
