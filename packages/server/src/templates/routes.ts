import type {
  AddTemplateResponse,
  CategoryListResponse,
  DeleteTemplateResponse,
  PubTemplateKeywordsResponse,
  PubTemplateTitlesResponse,
  TemplateListResponse,
} from '@beckon/protocol';
import { Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { toLang } from './library.js';
import {
  type AddTemplateInput,
  addTemplate,
  deleteTemplate,
  listCategories,
  listPublicKeywords,
  listPublicTitles,
  listTemplates,
  type TitleQuery,
} from './service.js';

/*
 * The schemas name every parameter but constrain none: WeChat gives each parameter its own errcode
 * (200014, 200016…, in its own order), which the service decides. A schema failure can then only be a body
 * that is not an object at all; `invalidInput` maps it to the code WeChat gives for a missing first field.
 */
const anything = {};
/** `lang=en_US` (Beckon extension) returns the library's English texts. */
const langQuery = { type: 'object', properties: { lang: anything } } as const;

type Lang = { lang?: unknown };
const ok = { errcode: 0, errmsg: 'ok' } as const;

/** `/wxaapi/newtmpl/*`: the public library and the app's private templates. Behind the access-token hook. */
export function registerTemplateRoutes(scope: FastifyInstance, ctx: Context): void {
  scope.get<{ Querystring: Lang }>(
    '/wxaapi/newtmpl/getcategory',
    { schema: { querystring: langQuery } },
    async (request): Promise<CategoryListResponse> => ({
      ...ok,
      data: listCategories(toLang(request.query.lang)),
    }),
  );

  scope.get<{ Querystring: TitleQuery & Lang }>(
    '/wxaapi/newtmpl/getpubtemplatetitles',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { ids: anything, start: anything, limit: anything, lang: anything },
        },
      },
    },
    async (request): Promise<PubTemplateTitlesResponse> => ({
      ...ok,
      ...listPublicTitles(request.query, toLang(request.query.lang)),
    }),
  );

  scope.get<{ Querystring: { tid?: unknown } & Lang }>(
    '/wxaapi/newtmpl/getpubtemplatekeywords',
    { schema: { querystring: { type: 'object', properties: { tid: anything, lang: anything } } } },
    async (request): Promise<PubTemplateKeywordsResponse> => ({
      ...ok,
      ...listPublicKeywords(request.query.tid, toLang(request.query.lang)),
    }),
  );

  // JSON or form (`tid=401&kidList=1&kidList=2`); WeChat's newest doc wants form, older SDKs send JSON.
  scope.post<{ Body: AddTemplateInput | undefined }>(
    '/wxaapi/newtmpl/addtemplate',
    {
      schema: {
        body: { type: 'object', properties: { tid: anything, kidList: anything, sceneDesc: anything } },
      },
      config: { invalidInput: Errors.TID_INVALID },
    },
    async (request): Promise<AddTemplateResponse> => ({
      ...ok,
      priTmplId: await addTemplate(ctx, request.wxApp, request.body ?? {}),
    }),
  );

  scope.get(
    '/wxaapi/newtmpl/gettemplate',
    { schema: { querystring: { type: 'object' } } },
    async (request): Promise<TemplateListResponse> => ({
      ...ok,
      data: await listTemplates(ctx, request.wxApp.appid),
    }),
  );

  scope.post<{ Body: { priTmplId?: unknown } | undefined }>(
    '/wxaapi/newtmpl/deltemplate',
    {
      schema: { body: { type: 'object', properties: { priTmplId: anything } } },
      config: { invalidInput: Errors.INVALID_TEMPLATE_ID },
    },
    async (request): Promise<DeleteTemplateResponse> => {
      await deleteTemplate(ctx, request.wxApp.appid, request.body?.priTmplId);
      return ok;
    },
  );
}
