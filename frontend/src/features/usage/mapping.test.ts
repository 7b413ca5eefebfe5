import { describe, expect, it } from 'vitest';
import { mappingProblems, prefillMapping, toMapping } from './mapping';

const longHeaders = ['Leistungsschlüssel', 'Monat', 'Kanal', 'Anzahl', 'Bearbeitungstage'];
const wideHeaders = ['LeiKa', 'Zeitraum', 'Online', 'Papier', 'Schalter'];

describe('mapping prefill', () => {
  it('takes the suggested long-format columns', () => {
    const form = prefillMapping(longHeaders, {
      leika_key: 'Leistungsschlüssel',
      month: 'Monat',
      channel: 'Kanal',
      count: 'Anzahl',
      median_days: 'Bearbeitungstage',
    });
    expect(form).toMatchObject({ format: 'long', leika_key: 'Leistungsschlüssel', month: 'Monat', channel: 'Kanal', count: 'Anzahl', median_days: 'Bearbeitungstage', backlog: '' });
    expect(mappingProblems(form)).toEqual({});
    expect(toMapping(form)).toEqual({ leika_key: 'Leistungsschlüssel', month: 'Monat', median_days: 'Bearbeitungstage', channel: 'Kanal', count: 'Anzahl' });
  });

  it('switches to the wide format when the suggestion maps channel columns', () => {
    const form = prefillMapping(wideHeaders, {
      leika_key: 'LeiKa',
      month: 'Zeitraum',
      channels: { online: 'Online', paper: 'Papier', counter: 'Schalter', email: null },
    });
    expect(form.format).toBe('wide');
    expect(form.channels).toEqual({ online: 'Online', paper: 'Papier', counter: 'Schalter', email: '', phone: '' });
    expect(toMapping(form)).toEqual({ leika_key: 'LeiKa', month: 'Zeitraum', channels: { online: 'Online', paper: 'Papier', counter: 'Schalter' } });
  });

  it('drops suggested columns the file does not have, and starts empty without a suggestion', () => {
    const form = prefillMapping(['A', 'B'], { leika_key: 'Leistungsschlüssel', month: 'B', channel: 'X', count: 'A' });
    expect(form).toMatchObject({ format: 'long', leika_key: '', month: 'B', channel: '', count: 'A' });
    expect(mappingProblems(form)).toEqual({ 'mapping.leika_key': 'usage.mapping.required', 'mapping.channel': 'usage.mapping.required' });
    expect(prefillMapping(['A'], null)).toMatchObject({ format: 'long', leika_key: '', month: '' });
  });
});

describe('mapping checks', () => {
  it('needs at least one channel column in the wide format', () => {
    const form = { ...prefillMapping(wideHeaders, { leika_key: 'LeiKa', month: 'Zeitraum' }), format: 'wide' as const };
    expect(mappingProblems(form)).toEqual({ 'mapping.channels.online': 'usage.mapping.oneChannel' });
  });

  it('refuses one column for two meanings', () => {
    const form = prefillMapping(longHeaders, { leika_key: 'Leistungsschlüssel', month: 'Monat', channel: 'Kanal', count: 'Monat' });
    expect(mappingProblems(form)).toEqual({ 'mapping.count': 'usage.mapping.twice' });
  });
});
