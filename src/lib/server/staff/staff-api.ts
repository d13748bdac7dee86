import { error, fail, redirect, type ActionFailure } from '@sveltejs/kit';

/**
 * The staff pages are clients of the JSON API (docs/api.md): their loads and form actions call it through
 * SvelteKit's `event.fetch`, which runs the API route in-process with the visitor's session cookie. So every
 * page sees exactly what the API allows, and every search, read, hold and refusal is decided and audited by
 * the same route code as for any other client, once.
 */

type Fetch = typeof fetch;

/** An API refusal: its status and `{error, detail}`. */
export interface ApiRefusal {
  status: number;
  error: string;
  detail: string;
}

/** What a form action hands back to its form after a refusal (shown in `role=alert`). */
export interface ActionProblem extends ApiRefusal {
  /** Which form on the page it belongs to. */
  form: string;
}

export type ApiResult<T> = { ok: true; status: number; value: T } | ({ ok: false } & ApiRefusal);

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Refused',
  410: 'Gone'
};

async function refusal(res: Response): Promise<ApiRefusal> {
  const body: unknown = await res.json().catch(() => null);
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    status: res.status,
    error: typeof b.error === 'string' ? b.error : 'error',
    detail: typeof b.detail === 'string' ? b.detail : `The server answered ${res.status}.`
  };
}

/** Calls the API with an optional JSON body. A 401 (no or expired session) sends the visitor to /login. */
export async function callApi<T>(
  fetch: Fetch,
  method: string,
  path: string,
  body?: unknown
): Promise<ApiResult<T>> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) redirect(303, '/login');
  if (!res.ok) return { ok: false, ...(await refusal(res)) };
  const value = (res.status === 204 ? null : await res.json()) as T;
  return { ok: true, status: res.status, value };
}

/** Throws the error page for a refusal (403 forbidden, 404 not found…), with the API's explanation. */
export function refusalPage(r: ApiRefusal): never {
  error(r.status, { message: TITLES[r.status] ?? 'Request failed', detail: r.detail });
}

/** GET for a page load: the JSON, or the error page. */
export async function loadApi<T>(fetch: Fetch, path: string): Promise<T> {
  const result = await callApi<T>(fetch, 'GET', path);
  if (!result.ok) refusalPage(result);
  return result.value;
}

/**
 * A form action's call: `{ok: true, status, value}`, or `{ok: false, failure}` where `failure` is
 * `fail(status, {problem})`, for the action to return as it is.
 */
export async function actApi<T>(
  fetch: Fetch,
  form: string,
  method: string,
  path: string,
  body?: unknown
): Promise<
  { ok: true; status: number; value: T } | { ok: false; failure: ActionFailure<{ problem: ActionProblem }> }
> {
  const result = await callApi<T>(fetch, method, path, body);
  if (result.ok) return result;
  const { status, error: code, detail } = result;
  return { ok: false, failure: fail(status, { problem: { form, status, error: code, detail } }) };
}

/** A text field of a submitted form, trimmed ('' when absent). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
