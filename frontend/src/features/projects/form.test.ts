import { describe, expect, it } from 'vitest';
import { changedFields, emptyForm, formToBody, reapplyEdits, type ProjectFormValues } from './form';

const base: ProjectFormValues = {
  ...emptyForm,
  title: 'Online-Terminvergabe',
  summary: 'Termine im Bürgerbüro online buchen.',
  description: 'Alt',
  topics: ['t1'],
  tags: ['termin'],
  ozg: [{ ozg_id: 10, name: 'Meldebescheinigung' }],
  budget: '1.000,00',
};

describe('412 re-apply merge', () => {
  it('keeps every field the user edited and takes the others from the server', () => {
    const mine = { ...base, summary: 'Meine neue Zusammenfassung', tags: ['termin', 'bürgerbüro'] };
    const server = { ...base, title: 'Online-Terminvergabe (Rat beschlossen)', description: 'Neu vom Kollegen' };
    const { values, conflicts } = reapplyEdits(base, mine, server);
    expect(values.summary).toBe('Meine neue Zusammenfassung');
    expect(values.tags).toEqual(['termin', 'bürgerbüro']);
    expect(values.title).toBe('Online-Terminvergabe (Rat beschlossen)');
    expect(values.description).toBe('Neu vom Kollegen');
    expect(conflicts).toEqual([]);
  });

  it('reports a conflict when both changed the same field, and the user text wins', () => {
    const mine = { ...base, description: 'Mein langer Text' };
    const server = { ...base, description: 'Text des Kollegen' };
    const { values, conflicts } = reapplyEdits(base, mine, server);
    expect(values.description).toBe('Mein langer Text');
    expect(conflicts).toEqual(['description']);
  });

  it('does not call it a conflict when both made the same change', () => {
    const mine = { ...base, budget: '2.000,00' };
    const server = { ...base, budget: '2.000,00' };
    expect(reapplyEdits(base, mine, server).conflicts).toEqual([]);
  });

  it('compares lists regardless of order', () => {
    const mine = { ...base, topics: ['t1'], ozg: [{ ozg_id: 10, name: 'anders benannt' }] };
    expect(changedFields(base, mine)).toEqual([]);
    const server = { ...base, topics: ['t1', 't2'] };
    expect(reapplyEdits(base, mine, server).values.topics).toEqual(['t1', 't2']);
  });
});

describe('form body', () => {
  it('converts the budget to cents and empty dates to null', () => {
    const body = formToBody({ ...base, budget: '1.234,56', planned_start: '', planned_end: '2027-03-31' });
    expect(body.budget_cents).toBe(123456);
    expect(body.planned_start).toBeNull();
    expect(body.planned_end).toBe('2027-03-31');
    expect(body.ozg_ids).toEqual([10]);
    expect(formToBody({ ...base, budget: '' }).budget_cents).toBeNull();
  });
});
