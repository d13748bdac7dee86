import { describe, expect, it } from 'vitest';
import {
  apiSearchQuery,
  NO_SEARCH,
  nextDay,
  normalisePhone,
  pageSearchQuery,
  readSearchFields
} from './recording-search';

describe('recording search', () => {
  it('searches only once the form was sent', () => {
    expect(readSearchFields(new URLSearchParams(''))).toBeNull();
    expect(readSearchFields(new URLSearchParams('number='))).toEqual(NO_SEARCH);
    expect(readSearchFields(new URLSearchParams('advisor=%20alice%20&to=2025-03-01'))).toEqual({
      ...NO_SEARCH,
      advisor: 'alice',
      to: '2025-03-01'
    });
  });

  it('normalises typed phone numbers', () => {
    expect(normalisePhone('(01632) 960-001')).toBe('01632960001');
    expect(normalisePhone('+44 1632.960001')).toBe('+441632960001');
  });

  it('sends the day after the inclusive "to" date', () => {
    expect(nextDay('2025-02-28')).toBe('2025-03-01');
    expect(nextDay('2024-12-31')).toBe('2025-01-01');
    expect(nextDay('garbage')).toBe('garbage');
  });

  it('builds the API query without empty fields', () => {
    const fields = { ...NO_SEARCH, number: '01632 960001', from: '2025-03-01', to: '2025-03-01' };
    expect(apiSearchQuery(fields)).toBe('number=01632960001&from=2025-03-01&to=2025-03-02');
    expect(apiSearchQuery(NO_SEARCH, 'abc')).toBe('cursor=abc');
    expect(apiSearchQuery(NO_SEARCH)).toBe('');
  });

  it('keeps every field in the page link', () => {
    expect(pageSearchQuery({ ...NO_SEARCH, team: 'north' }, 'c1')).toBe(
      'number=&advisor=&team=north&from=&to=&cursor=c1'
    );
  });
});
