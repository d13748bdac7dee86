/**
 * `npm run audit:verify`: walks the audit log's hash chain in DATA_DIR's database and prints
 * `{"rows": n, "ok": bool, "firstBadId"?: id, "problem"?: "hash"|"link"|"gap"}`. Exit 0 intact, 1 tampered,
 * 2 when the database cannot be opened.
 */
import { resolve } from 'node:path';
import { verifyAuditChain } from '../src/lib/server/audit/verify-audit-chain';
import { openDataDirDatabase } from '../src/lib/server/db/open-database';

function main(): number {
  const dataDir = resolve(process.env.DATA_DIR?.trim() || '.data');
  let db;
  try {
    db = openDataDirDatabase(dataDir);
  } catch (err) {
    console.error(`audit:verify: cannot open the database in ${dataDir}: ${(err as Error).message}`);
    return 2;
  }
  try {
    const result = verifyAuditChain(db);
    console.log(JSON.stringify(result));
    return result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

process.exitCode = main();
