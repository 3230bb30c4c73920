/** `:appid` in the admin API's paths, for every module's admin routes (and the client API's app catalogue). */
export const appidParam = {
  type: 'object',
  required: ['appid'],
  properties: { appid: { type: 'string', maxLength: 64 } },
} as const;

export type WithAppid = { Params: { appid: string } };
