// Research prototype: a real oidc-provider with Keycloak-shaped claims for loopback tests.
import http from 'node:http';
import crypto from 'node:crypto';
import { Provider } from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.OP_PORT || 4455);
const issuer = `http://127.0.0.1:${port}`;
const rpBase = process.env.RP_BASE || 'http://127.0.0.1:8081';

const users = new Map([
  ['brakel-officer', {
    password: 'geheim',
    claims: {
      email: 'officer@brakel.example', email_verified: true,
      name: 'Ortrun Officer', preferred_username: 'brakel-officer',
      groups: ['/kreis-hoexter/brakel'],
      realm_access: { roles: ['dn-officer', 'offline_access'] },
    },
  }],
]);

async function newKey(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}
let keys = [await newKey('k1')];
let tamper = null; // { claims: {...}, foreignKey: bool, kid: string }
let lastNonce = null;

function build() {
  const p = new Provider(issuer, {
    clients: [{
      client_id: 'digitalnetzwerk', client_secret: 'rp-secret',
      redirect_uris: [`${rpBase}/api/v1/auth/oidc/landesportal/callback`],
      post_logout_redirect_uris: [`${rpBase}/`],
      backchannel_logout_uri: `${rpBase}/api/v1/auth/oidc/landesportal/backchannel-logout`,
      backchannel_logout_session_required: true,
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
    }],
    jwks: { keys },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'], email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'], groups: ['groups'], roles: ['realm_access'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups', 'roles'],
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    // loopback RP: drop the SSRF-guard dispatcher for back-channel calls
    fetch: (url, options) => { delete options.dispatcher; return globalThis.fetch(url, options); },
    async loadExistingGrant(ctx) {
      const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (id) return ctx.oidc.provider.Grant.find(id);
      const g = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      g.addOIDCScope(ctx.oidc.params.scope); await g.save(); return g;
    },
    async findAccount(ctx, sub) {
      const u = users.get(sub); if (!u) return undefined;
      return { accountId: sub, async claims() { return { sub, ...u.claims }; } };
    },
  });
  p.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token' && ctx.body?.id_token) {
      const payload = jose.decodeJwt(ctx.body.id_token);
      const nonce = payload.nonce;
      if (tamper) {
        const t = tamper; tamper = null;
        const c = { ...payload, ...t.claims };
        if (t.claims.nonce === '$previous') c.nonce = lastNonce;
        const key = t.foreignKey ? await newKey(keys[0].kid) : keys[0];
        ctx.body.id_token = await new jose.SignJWT(c)
          .setProtectedHeader({ alg: 'RS256', kid: t.kid || key.kid, typ: 'JWT' })
          .sign(await jose.importJWK(key, 'RS256'));
      }
      lastNonce = nonce;
    }
  });
  p.on('backchannel.error', (ctx, err) => console.error('backchannel.error', err.message));
  p.on('backchannel.success', (ctx, client, sub, sid) => console.log('backchannel.success', sub, sid));
  return p;
}
let provider = build();

const page = (uid, msg = '') => `<!doctype html><html lang="de"><meta charset="utf-8"><title>Landesportal</title>
<form method="post" action="/interaction/${uid}/login"><p>${msg}</p>
<label>Benutzername <input name="username" autofocus></label>
<label>Passwort <input name="password" type="password"></label>
<button type="submit">Anmelden</button></form></html>`;

async function body(req) { let s = ''; for await (const c of req) s += c; return s; }

http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') { res.setHeader('content-type', 'text/html'); return res.end(page(details.uid)); }
      const f = new URLSearchParams(await body(req));
      const u = users.get(f.get('username'));
      if (!u || u.password !== f.get('password')) { res.setHeader('content-type', 'text/html'); return res.end(page(details.uid, 'Falsch')); }
      return provider.interactionFinished(req, res, { login: { accountId: f.get('username') } }, { mergeWithLastSubmission: false });
    }
    if (url.pathname.startsWith('/test/') && req.socket.remoteAddress.endsWith('127.0.0.1')) {
      const j = req.method === 'POST' ? JSON.parse((await body(req)) || '{}') : {};
      if (url.pathname === '/test/users') { users.set(j.sub, { password: j.password, claims: j.claims }); }
      else if (url.pathname === '/test/tamper') { tamper = j; }
      else if (url.pathname === '/test/rotate') { keys = [await newKey(`k${Date.now()}`), ...keys]; provider = build(); }
      res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify({ ok: true, kids: keys.map((k) => k.kid) }));
    }
    return provider.callback()(req, res);
  } catch (e) { res.statusCode = 500; res.end(String(e)); }
}).listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
