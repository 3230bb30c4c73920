import type Database from 'better-sqlite3';

/** Prepared statements, compiled once per SQL text: `const sql = statements(db); sql('SELECT 1').get()`. */
export function statements(db: Database.Database): (text: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (text) => {
    let stmt = cache.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
}
