// A real OpenID provider on loopback for the SSO tests (the certified `oidc-provider`
// package), with Keycloak-shaped claims and a few test-only admin endpoints.
//
//   node provider.mjs --port 0 --rp http://127.0.0.1:8080 [--provider landesportal]
//        [--client-id dn] [--client-secret geheim] [--scim-token tok]
//
// prints `ready {"issuer":…,"client_id":…,"client_secret":…}` on stdout once it listens.
// Test-only endpoints (never in a product): POST /test/users, /test/tamper, /test/rotate,
// /test/sign, /test/scim/deactivate; GET /test/logout-tokens.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const rp = (args.rp ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const providerId = args.provider ?? 'landesportal';
const clientId = args['client-id'] ?? 'digitalnetzwerk';
const clientSecret = args['client-secret'] ?? 'test-client-secret-0123456789';
const scimToken = args['scim-token'] ?? 'test-scim-token-0123456789';

// Accounts by login name: password, stable subject and the claims the next login sees.
const users = new Map();
function setUser({ login, password, sub, claims }) {
  users.set(login, { password, sub: sub ?? crypto.randomUUID(), claims: claims ?? {} });
  return users.get(login);
}
setUser({
  login: 'b.brakel',
  password: 'Landesportal-2026',
  sub: 'a1b2c3d4-brakel-officer',
  claims: {
    email: 'bea.brakel@landesportal.example',
    email_verified: true,
    name: 'Bea Brakel',
    preferred_username: 'b.brakel',
    groups: ['/kreis-hoexter/brakel'],
    realm_access: { roles: ['dn-officer', 'offline_access'] },
  },
});
const bySub = (sub) => [...users.values()].find((u) => u.sub === sub);

let keys = [await freshKey()];
let tamper = null; // applies to the next ID token only
let previousNonce = null;
const logoutTokens = [];
let provider;
let issuer;

async function freshKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function build() {
  const p = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [`${rp}/api/v1/auth/oidc/${providerId}/callback`],
      post_logout_redirect_uris: [`${rp}/anmelden`],
      backchannel_logout_uri: `${rp}/api/v1/auth/oidc/${providerId}/backchannel-logout`,
      backchannel_logout_session_required: true,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    jwks: { keys },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
      roles: ['realm_access'],
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.body = page('Abmelden', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Abmelden</button>`);
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const u = bySub(sub);
      if (!u) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...u.claims }) };
    },
    // No consent page: the test client is first party.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
      await grant.save();
      return grant;
    },
    // Test OP only: loopback back-channel logout (the default fetch refuses private
    // addresses); every logout token sent is kept for /test/logout-tokens.
    fetch(url, options) {
      delete options.dispatcher;
      const body = options.body;
      if (body instanceof URLSearchParams && body.get('logout_token')) {
        logoutTokens.push(body.get('logout_token'));
      }
      return fetch(url, options);
    },
  });
  p.proxy = false;
  p.on('backchannel.error', (_ctx, err) => console.error(`backchannel.error ${err.message}`));
  p.on('server_error', (_ctx, err) => console.error(`server_error ${err.stack}`));
  // Re-signs the next ID token as /test/tamper asked.
  p.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || !ctx.body?.id_token) return;
    const [h, c] = ctx.body.id_token.split('.').slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const issuedNonce = c.nonce;
    if (tamper) {
      const t = tamper;
      tamper = null;
      for (const [k, v] of Object.entries(t.claims ?? {})) {
        c[k] = v === '$previous' ? previousNonce : v;
      }
      const jwk = t.foreignKey ? await freshKey() : keys[0];
      const kid = t.kid ?? h.kid;
      ctx.body.id_token = await sign(c, { alg: h.alg, typ: h.typ, kid }, jwk);
    }
    previousNonce = issuedNonce;
  });
  return p;
}

async function sign(claims, header, jwk) {
  const key = await jose.importJWK(jwk, 'RS256');
  const protectedHeader = { alg: 'RS256', ...header };
  if (protectedHeader.typ === undefined) delete protectedHeader.typ;
  return new jose.CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader(protectedHeader)
    .sign(key);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString();
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return text ? JSON.parse(text) : {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

function loginForm(uid, error) {
  return page('Landesportal – Anmeldung',
    (error ? `<p role="alert">${esc(error)}</p>` : '') +
    `<form method="post" action="/interaction/${esc(uid)}/login">` +
    '<label>Benutzername <input name="login" autocomplete="username" autofocus></label>' +
    '<label>Passwort <input name="password" type="password" autocomplete="current-password"></label>' +
    '<button type="submit">Anmelden</button></form>');
}

async function interaction(req, res, path) {
  const m = path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!m) return send(res, 404, { error: 'not_found' });
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    return send(res, 200, loginForm(details.uid), 'text/html; charset=utf-8');
  }
  const form = await readBody(req);
  const u = users.get(form.login);
  if (!u || u.password !== form.password) {
    return send(res, 200, loginForm(details.uid, 'Benutzername oder Passwort ist falsch.'), 'text/html; charset=utf-8');
  }
  return provider.interactionFinished(req, res, { login: { accountId: u.sub } }, { mergeWithLastSubmission: false });
}

async function scimDeactivate(sub) {
  const headers = { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' };
  const base = `${rp}/scim/v2/${providerId}/Users`;
  const filter = encodeURIComponent(`externalId eq "${sub}"`);
  const list = await (await fetch(`${base}?filter=${filter}`, { headers })).json();
  const found = list.Resources?.[0];
  if (!found) return { status: 404, list };
  // As Entra sends it: capitalised op, the value as a string.
  const resp = await fetch(`${base}/${found.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    }),
  });
  return { status: resp.status, body: await resp.json().catch(() => null) };
}

async function admin(req, res, path) {
  const body = req.method === 'POST' ? await readBody(req) : {};
  switch (path) {
    case '/test/users': {
      const existing = users.get(body.login);
      const u = setUser({
        login: body.login,
        password: body.password ?? existing?.password ?? 'Landesportal-2026',
        sub: body.sub ?? existing?.sub,
        claims: body.claims ?? existing?.claims,
      });
      return send(res, 200, { login: body.login, sub: u.sub });
    }
    case '/test/tamper':
      tamper = body;
      return send(res, 200, { ok: true });
    case '/test/rotate':
      keys = [await freshKey(), ...keys];
      provider = build();
      return send(res, 200, { kid: keys[0].kid });
    case '/test/sign': {
      const jwk = body.foreignKey ? await freshKey() : keys[0];
      const token = await sign(body.claims, { kid: jwk.kid, ...(body.header ?? {}) }, jwk);
      return send(res, 200, { token });
    }
    case '/test/logout-tokens':
      return send(res, 200, { tokens: logoutTokens });
    case '/test/scim/deactivate':
      return send(res, 200, await scimDeactivate(body.sub));
    default:
      return send(res, 404, { error: 'not_found' });
  }
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  try {
    if (path.startsWith('/interaction/')) return await interaction(req, res, path);
    if (path.startsWith('/test/')) return await admin(req, res, path);
    return provider.callback()(req, res);
  } catch (err) {
    console.error(err);
    if (!res.headersSent) send(res, 500, { error: String(err.message ?? err) });
  }
});

server.listen(Number(args.port ?? 0), '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  provider = build();
  console.log(`ready ${JSON.stringify({ issuer, client_id: clientId, client_secret: clientSecret, scim_token: scimToken })}`);
});

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
// The harness closes our stdin when the test ends: then we go too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
