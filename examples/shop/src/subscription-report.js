import { HttpError } from './http.js';

/**
 * Applies a page's report to the mirror: `{result}`, the object `wx.requestSubscribeMessage` resolved with,
 * or `{refused: [ids] | 'all'}`, what the user turned off (the settings' main switch: 'all'). 400 for a
 * malformed one. Answers the ids of an accepted result that are not the app's templates (not counted), []
 * for a refusal. The shop's and the game's `POST /subscriptions/report`.
 *
 * @param {import('@beckon/sdk').LedgerMirror} mirror
 * @param {string} openid
 * @param {Record<string, unknown>} body
 * @returns {Promise<string[]>}
 */
export async function applyReport(mirror, openid, body) {
  if (body.refused !== undefined) {
    const refused = body.refused;
    if (refused !== 'all' && !(Array.isArray(refused) && refused.every((id) => typeof id === 'string')))
      throw new HttpError(400, '"refused" must be "all" or a list of template ids');
    await mirror.reportRefused(openid, refused);
    return [];
  }
  const result = body.result;
  if (result === null || typeof result !== 'object' || Array.isArray(result))
    throw new HttpError(400, '"result" must be the object wx.requestSubscribeMessage resolved with');
  const { ignored } = await mirror.reportAccepted(openid, result);
  return ignored;
}
