/** `:appid` in a path, for every module's admin and client routes (`/admin/apps/:appid/…`, `/api/apps/:appid/…`). */
export const appidParam = {
  type: 'object',
  required: ['appid'],
  properties: { appid: { type: 'string', maxLength: 64 } },
} as const;

export type WithAppid = { Params: { appid: string } };
