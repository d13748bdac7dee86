/**
 * The recordings search form <-> `GET /api/recordings` query (pure). The form is a GET form, so a search is a
 * URL that can be bookmarked and the back button works; the page searches only once the form was sent.
 */

/** The search form's fields, as typed. */
export interface SearchFields {
  number: string;
  advisor: string;
  team: string;
  /** `YYYY-MM-DD`, inclusive. */
  from: string;
  /** `YYYY-MM-DD`, inclusive (the API's `to` is exclusive: the next day is sent). */
  to: string;
}

export const SEARCH_FIELD_NAMES = ['number', 'advisor', 'team', 'from', 'to'] as const;

/** Empty fields, for a form that was not sent yet. */
export const NO_SEARCH: SearchFields = { number: '', advisor: '', team: '', from: '', to: '' };

/** The fields in the page URL, or null when the form was not sent (no field present). */
export function readSearchFields(params: URLSearchParams): SearchFields | null {
  if (!SEARCH_FIELD_NAMES.some((name) => params.has(name))) return null;
  const get = (name: string) => (params.get(name) ?? '').trim();
  return {
    number: get('number'),
    advisor: get('advisor'),
    team: get('team'),
    from: get('from'),
    to: get('to')
  };
}

/** Drops the spaces, dashes, dots and brackets people type in phone numbers: `(01632) 960-001` -> `01632960001`. */
export function normalisePhone(text: string): string {
  return text.replace(/[\s().-]/g, '');
}

/** The day after a `YYYY-MM-DD` date; anything else is returned as it is (the API will refuse it). */
export function nextDay(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? date : new Date(t + 86_400_000).toISOString().slice(0, 10);
}

/** The API query string (without `?`) for the fields; empty fields are left out. */
export function apiSearchQuery(fields: SearchFields, cursor?: string): string {
  const query = new URLSearchParams();
  const number = normalisePhone(fields.number);
  if (number !== '') query.set('number', number);
  if (fields.advisor !== '') query.set('advisor', fields.advisor);
  if (fields.team !== '') query.set('team', fields.team);
  if (fields.from !== '') query.set('from', fields.from);
  if (fields.to !== '') query.set('to', nextDay(fields.to));
  if (cursor !== undefined && cursor !== '') query.set('cursor', cursor);
  return query.toString();
}

/** The page URL query for the fields and an optional cursor (the "More results" link without JavaScript). */
export function pageSearchQuery(fields: SearchFields, cursor?: string): string {
  const query = new URLSearchParams();
  for (const name of SEARCH_FIELD_NAMES) query.set(name, fields[name]);
  if (cursor !== undefined) query.set('cursor', cursor);
  return query.toString();
}
