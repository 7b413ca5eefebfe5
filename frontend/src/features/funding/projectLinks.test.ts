import { describe, expect, it } from 'vitest';
import { addProjectId, chosenProjectViews, knownFromLinked, projectIdsBody, projectIdsError, removeProjectId, sameProjectIds, uniqueProjectIds } from './projectLinks';

describe('choosing linked projects', () => {
  it('adds at the end and never twice', () => {
    expect(addProjectId([], 'a')).toEqual(['a']);
    expect(addProjectId(['a'], 'b')).toEqual(['a', 'b']);
    expect(addProjectId(['a', 'b'], 'a')).toEqual(['a', 'b']);
  });

  it('removes only the given project and leaves the input alone', () => {
    const ids = ['a', 'b', 'c'];
    expect(removeProjectId(ids, 'b')).toEqual(['a', 'c']);
    expect(removeProjectId(ids, 'x')).toEqual(['a', 'b', 'c']);
    expect(ids).toEqual(['a', 'b', 'c']);
  });

  it('drops duplicates, first occurrence wins', () => {
    expect(uniqueProjectIds(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });

  it('compares choices regardless of order', () => {
    expect(sameProjectIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameProjectIds(['a', 'b'], ['a'])).toBe(false);
    expect(sameProjectIds([], [])).toBe(true);
    expect(sameProjectIds(['a', 'a'], ['a'])).toBe(true);
  });
});

describe('project_ids in the request body', () => {
  it('always sends the choice when creating', () => {
    expect(projectIdsBody(undefined, [])).toEqual({ project_ids: [] });
    expect(projectIdsBody(undefined, ['a', 'a', 'b'])).toEqual({ project_ids: ['a', 'b'] });
  });

  it('leaves the links alone when editing without changing them', () => {
    expect(projectIdsBody(['a', 'b'], ['b', 'a'])).toEqual({});
    expect(projectIdsBody([], [])).toEqual({});
  });

  it('replaces the links when they changed, removing the last one included', () => {
    expect(projectIdsBody(['a'], ['a', 'c'])).toEqual({ project_ids: ['a', 'c'] });
    expect(projectIdsBody(['a'], [])).toEqual({ project_ids: [] });
  });

  it('finds the server message for the links', () => {
    expect(projectIdsError({ title: 'x' })).toBeUndefined();
    expect(projectIdsError({ project_ids: 'Unbekanntes Projekt' })).toBe('Unbekanntes Projekt');
    expect(projectIdsError({ 'project_ids[1]': 'Nicht im Landkreis' })).toBe('Nicht im Landkreis');
  });
});

describe('showing linked projects', () => {
  it('starts from the titles the application sends (only projects the viewer may see)', () => {
    expect(knownFromLinked([{ id: 'a', title: 'Ratsinformationssystem' }])).toEqual({ a: { title: 'Ratsinformationssystem' } });
    expect(knownFromLinked(undefined)).toEqual({});
  });

  it('shows title and, for a project picked from the search, its town', () => {
    const views = chosenProjectViews(['a', 'b', 'c'], { a: { title: 'Linked' }, b: { title: 'Picked', town: 'Brakel' } });
    expect(views).toEqual([
      { id: 'a', title: 'Linked' },
      { id: 'b', title: 'Picked', town: 'Brakel' },
      { id: 'c' },
    ]);
  });
});
