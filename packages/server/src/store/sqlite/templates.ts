import type Database from 'better-sqlite3';
import type { PrivateTemplateRecord, TemplateStore } from '../port.js';
import { ReadCache } from './read-cache.js';
import { statements } from './statements.js';

interface TemplateRow {
  pri_tmpl_id: string;
  appid: string;
  tid: number;
  title: string;
  type: 2 | 3;
  scene_desc: string;
  keywords: string;
  created_at: number;
}
const toTemplate = (r: TemplateRow): PrivateTemplateRecord => ({
  priTmplId: r.pri_tmpl_id,
  appid: r.appid,
  tid: r.tid,
  title: r.title,
  type: r.type,
  sceneDesc: r.scene_desc,
  keywords: JSON.parse(r.keywords),
  createdAt: r.created_at,
});

export class SqliteTemplates implements TemplateStore {
  private readonly sql;
  private readonly cache = new ReadCache<PrivateTemplateRecord>();

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
  }

  async add(t: PrivateTemplateRecord, limit: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const count = this.sql('SELECT count(*) FROM private_templates WHERE appid = ?')
          .pluck()
          .get(t.appid) as number;
        if (count >= limit) return false;
        const seq =
          (this.sql('SELECT max(seq) FROM private_templates WHERE appid = ?').pluck().get(t.appid) as
            | number
            | null) ?? 0;
        this.sql(
          `INSERT INTO private_templates (pri_tmpl_id, appid, tid, title, type, scene_desc, keywords, created_at, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          t.priTmplId,
          t.appid,
          t.tid,
          t.title,
          t.type,
          t.sceneDesc,
          JSON.stringify(t.keywords),
          t.createdAt,
          seq + 1,
        );
        return true;
      })
      .immediate();
  }

  async get(appid: string, priTmplId: string): Promise<PrivateTemplateRecord | undefined> {
    return this.cache.get(`${appid}:${priTmplId}`, () => this.read(appid, priTmplId));
  }

  private read(appid: string, priTmplId: string): PrivateTemplateRecord | undefined {
    const row = this.sql('SELECT * FROM private_templates WHERE appid = ? AND pri_tmpl_id = ?').get(
      appid,
      priTmplId,
    ) as TemplateRow | undefined;
    return row && toTemplate(row);
  }

  async list(appid: string): Promise<PrivateTemplateRecord[]> {
    return (
      this.sql('SELECT * FROM private_templates WHERE appid = ? ORDER BY seq').all(appid) as TemplateRow[]
    ).map(toTemplate);
  }

  async remove(appid: string, priTmplId: string): Promise<boolean> {
    this.cache.drop(`${appid}:${priTmplId}`);
    return (
      this.sql('DELETE FROM private_templates WHERE appid = ? AND pri_tmpl_id = ?').run(appid, priTmplId)
        .changes === 1
    );
  }
}
