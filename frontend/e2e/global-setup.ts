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

  execFileSync(bin, ['seed', '--demo'], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });

  const logFile = join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', log, log] });
  try {
    await waitReady(`${baseUrl}/readyz`, child, logFile);
  } catch (e) {
    child.kill('SIGKILL');
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
    closeSync(log);
    if (!process.env.DN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
