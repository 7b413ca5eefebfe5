import { describe, expect, it } from 'vitest';
import { officeRows } from './sections';

const brakel = { id: 'm1', name: 'Brakel', ags: '05762008' };
const hoexter = { id: 'm2', name: 'Höxter', ags: '05762020' };

describe('office rows', () => {
  it('adds an empty, editable row for each town the viewer may set but that has no office yet', () => {
    const rows = officeRows({
      offices: [{ municipality: hoexter, office: 'Steueramt', can_edit: false }],
      variant_towns: [brakel, hoexter],
    });
    expect(rows).toEqual([
      { municipality: hoexter, office: 'Steueramt', can_edit: false },
      { municipality: brakel, office: '', can_edit: true },
    ]);
    expect(officeRows({ offices: [], variant_towns: [] })).toEqual([]);
  });
});
