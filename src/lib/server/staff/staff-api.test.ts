import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { actApi, callApi, loadApi } from './staff-api';

/** A fetch that answers every call with `status` and `body`, and records what it was asked. */
function fakeFetch(status: number, body: unknown) {
  const calls: { path: string; init: RequestInit | undefined }[] = [];
  const fetch = (async (path: string, init?: RequestInit) => {
    calls.push({ path, init });
    const text = body === undefined ? null : JSON.stringify(body);
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('staff API client', () => {
  it('returns the JSON, sending a JSON body when there is one', async () => {
    const { fetch, calls } = fakeFetch(201, { id: 7 });
    const result = await callApi(fetch, 'POST', '/api/sar', { reference: 'SAR-1' });
    expect(result).toEqual({ ok: true, status: 201, value: { id: 7 } });
    expect(calls[0]?.init?.body).toBe('{"reference":"SAR-1"}');
    expect((calls[0]?.init?.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('gives null for 204 and sends no body when there is none', async () => {
    const { fetch, calls } = fakeFetch(204, undefined);
    expect(await callApi(fetch, 'DELETE', '/api/x')).toEqual({ ok: true, status: 204, value: null });
    expect(calls[0]?.init?.body).toBeUndefined();
  });

  it('sends an anonymous or expired session to the login page', async () => {
    const { fetch } = fakeFetch(401, { error: 'unauthenticated', detail: 'Log in first.' });
    const err = await thrown(() => callApi(fetch, 'GET', '/api/recordings'));
    expect(isRedirect(err) && err.location).toBe('/login');
  });

  it('turns a load refusal into the error page with the API detail', async () => {
    const { fetch } = fakeFetch(403, { error: 'forbidden', detail: 'Recording of another team.' });
    const err = await thrown(() => loadApi(fetch, '/api/recordings/x'));
    expect(isHttpError(err, 403) && err.body).toEqual({
      message: 'Forbidden',
      detail: 'Recording of another team.'
    });
  });

  it('hands an action refusal to its form', async () => {
    const { fetch } = fakeFetch(409, { error: 'legal_hold', detail: 'The recording is under legal hold.' });
    const result = await actApi(fetch, 'erase', 'DELETE', '/api/recordings/x', {
      reason: 'r',
      reference: 'f'
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.status).toBe(409);
      expect(result.failure.data.problem).toEqual({
        form: 'erase',
        status: 409,
        error: 'legal_hold',
        detail: 'The recording is under legal hold.'
      });
    }
  });

  it('explains an answer that is not the API’s JSON', async () => {
    const fetch = (async () => new Response('boom', { status: 502 })) as typeof globalThis.fetch;
    expect(await callApi(fetch, 'GET', '/api/x')).toMatchObject({
      ok: false,
      status: 502,
      error: 'error',
      detail: 'The server answered 502.'
    });
  });
});
