// Fails when src/lib/api/schema.d.ts is not what openapi-typescript makes of openapi.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'dn-check-api-'));
const out = join(dir, 'schema.d.ts');
try {
  execFileSync('npx', ['openapi-typescript', 'openapi.json', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fresh = readFileSync(out, 'utf8');
  const committed = readFileSync('src/lib/api/schema.d.ts', 'utf8');
  if (fresh !== committed) {
    console.error('check:api FAILED: src/lib/api/schema.d.ts is out of date with openapi.json.');
    console.error('Run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('check:api ok: src/lib/api/schema.d.ts matches openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
