// Every kind the API sends and the SPA turns into a locale key has a text in both
// languages. The values come from the OpenAPI document generated from the Rust enums,
// so a new status or notification kind without a translation fails here.
import { describe, expect, it } from 'vitest';
import openapi from '../../../openapi.json';
import de from '@/locales/de.json';
import en from '@/locales/en.json';

type Schemas = Record<string, { enum?: string[] }>;
const schemas = (openapi as unknown as { components: { schemas: Schemas } }).components.schemas;

function values(schema: string): string[] {
  const e = schemas[schema]?.enum;
  if (!e || e.length === 0) throw new Error(`no enum ${schema} in openapi.json`);
  return e;
}

// locale key prefix → the API enum whose values follow it (as the SPA builds the keys).
const uses: [string, string][] = [
  ['notifications.kind.', 'Kind'],
  ['notifications.mode.', 'Mode'],
  ['notifications.frequency.', 'Frequency'],
  ['projects.status.', 'ProjectStatus'],
  ['projects.visibility.', 'Visibility'],
  ['projects.partner.role.', 'PartnerRole'],
  ['efa.adoption.', 'AdoptionStatus'],
  ['funding.status.', 'ApplicationStatus'],
  ['support.category.', 'Category'],
  ['role.', 'Role'],
  ['kind.', 'MunicipalityKind'],
];

describe('locale keys for API kinds', () => {
  for (const [prefix, schema] of uses) {
    it(`${prefix}* covers every ${schema}`, () => {
      const keys = values(schema).map((v) => `${prefix}${v}`);
      expect(keys.filter((k) => !(k in de))).toEqual([]);
      expect(keys.filter((k) => !(k in en))).toEqual([]);
    });
  }

  it('support statuses have a text in both languages', () => {
    const keys = values('SupportStatus').map((v) => `support.status.${v}`);
    expect(keys.filter((k) => !(k in de))).toEqual([]);
    expect(keys.filter((k) => !(k in en))).toEqual([]);
  });

  it('every problem kind the SPA distinguishes has a text', () => {
    const kinds = [
      'validation', 'bad-request', 'unauthorized', 'forbidden', 'not-found', 'conflict',
      'precondition-failed', 'precondition-required', 'too-many-requests', 'payload-too-large',
      'internal', 'network',
    ].map((k) => `problem.${k}`);
    expect(kinds.filter((k) => !(k in de))).toEqual([]);
    expect(kinds.filter((k) => !(k in en))).toEqual([]);
  });

  it('German texts of these kinds are not English and the reverse', () => {
    const prefixes = [...uses.map(([p]) => p), 'support.status.', 'problem.'];
    const pick = (cat: Record<string, string>) =>
      Object.entries(cat).filter(([k]) => prefixes.some((p) => k.startsWith(p)));
    const snake = /\b[a-z]+_[a-z_]+\b/;
    for (const [k, v] of pick(de)) {
      expect(snake.test(v), `${k}: ${v}`).toBe(false);
    }
    for (const [k, v] of pick(en)) {
      expect(snake.test(v) || /[äöüß„]/.test(v), `${k}: ${v}`).toBe(false);
    }
  });
});
