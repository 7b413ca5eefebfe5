// Starts the real backend (seeded demo data) on a free port and serves the built SPA from it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { CHROMIUM } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The test OpenID provider (tests/oidc-provider), '' when it is not installed. */
    opUrl: string;
  }
}

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') ok(address.port);
        else fail(new Error('no port'));
      });
    });
  });
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Backend exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Backend not ready after ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
}

/** Starts the test OpenID provider for the app at `rp`; resolves with its `ready` line. */
function startProvider(rp: string): Promise<{ child: ChildProcess; issuer: string; client_id: string; client_secret: string }> {
  const dir = resolve(frontendDir, '../tests/oidc-provider');
  const child = spawn('node', ['provider.mjs', '--port', '0', '--rp', rp, '--provider', 'landesportal'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((ok, fail) => {
    let buffer = '';
    const timer = setTimeout(() => fail(new Error('test OpenID provider not ready after 30 s')), 30_000);
    child.once('exit', (code) => fail(new Error(`test OpenID provider exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('ready '));
      if (line) {
        clearTimeout(timer);
        ok({ child, ...(JSON.parse(line.slice(6)) as { issuer: string; client_id: string; client_secret: string }) });
      }
    });
  });
}

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium fehlt: apt-get install chromium');
  const staticDir = join(frontendDir, 'dist');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error('frontend/dist fehlt: erst `npm run build` ausführen (npm run e2e tut das).');
  }
  const bin = resolve(frontendDir, process.env.DN_BIN ?? '../target/debug/digitalnetzwerk');
  if (!existsSync(bin)) {
    throw new Error(`Backend binary not found at ${bin}: run \`cargo build\` in the repository or set DN_BIN.`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'dn-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    DATA_DIR: dir,
    STATIC_DIR: staticDir,
    BIND_ADDRESS: `127.0.0.1:${port}`,
    PUBLIC_URL: baseUrl,
    JWT_SECRET: randomBytes(48).toString('base64url').slice(0, 64),
  };

  // Single sign-on against the real test provider (sso.e2e.test.ts), when it is installed
  // (`make oidc-deps`); the password form stays, so the other tests are unaffected.
  let op: Awaited<ReturnType<typeof startProvider>> | null = null;
  if (existsSync(resolve(frontendDir, '../tests/oidc-provider/node_modules/oidc-provider'))) {
    op = await startProvider(baseUrl);
    Object.assign(env, {
      OIDC_PROVIDERS: 'landesportal',
      OIDC_LANDESPORTAL_LABEL: 'Landesportal',
      OIDC_LANDESPORTAL_ISSUER: op.issuer,
      OIDC_LANDESPORTAL_CLIENT_ID: op.client_id,
      OIDC_LANDESPORTAL_CLIENT_SECRET: op.client_secret,
      OIDC_LANDESPORTAL_SCOPES: 'openid email profile groups roles',
      OIDC_LANDESPORTAL_TOWN_CLAIM: 'groups',
      OIDC_LANDESPORTAL_ROLE_CLAIM: 'realm_access.roles',
      OIDC_LANDESPORTAL_ROLE_MAP: 'dn-coordinator=coordinator,dn-officer=officer,dn-member=member',
    });
  }
  project.provide('opUrl', op?.issuer ?? '');

  execFileSync(bin, ['seed', '--demo'], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });

  const logFile = join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', log, log] });
  try {
    await waitReady(`${baseUrl}/readyz`, child, logFile);
  } catch (e) {
    child.kill('SIGKILL');
    op?.child.kill('SIGKILL');
    throw e;
  }
  project.provide('baseUrl', baseUrl);

  const running = () => child.exitCode === null && child.signalCode === null;
  return async () => {
    if (running()) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (running()) child.kill('SIGKILL');
    }
    op?.child.kill('SIGTERM');
    closeSync(log);
    if (!process.env.DN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
