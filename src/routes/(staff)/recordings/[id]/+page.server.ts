import { fail } from '@sveltejs/kit';
import { PLAY_PURPOSES } from '$lib/server/recordings/audio-service';
import { actApi, callApi, field, refusalPage } from '$lib/server/staff/staff-api';
import type { RecordingDetail } from '$lib/staff/api-types';
import type { Actions, PageServerLoad } from './$types';

const recordingPath = (id: string) => `/api/recordings/${encodeURIComponent(id)}`;

/** `GET /api/recordings/{id}` (audited there as a read). An erased or expired recording is a page state. */
export const load: PageServerLoad = async ({ params, fetch }) => {
  const result = await callApi<RecordingDetail>(fetch, 'GET', recordingPath(params.id));
  const base = { id: params.id, purposes: PLAY_PURPOSES, today: new Date().toISOString().slice(0, 10) };
  if (result.ok) return { ...base, detail: result.value, gone: null };
  if (result.status === 410) return { ...base, detail: null, gone: result.detail };
  refusalPage(result);
};

export const actions: Actions = {
  /** `PUT …/legal-hold`: place or replace the hold. */
  hold: async ({ params, request, fetch }) => {
    const form = await request.formData();
    const body = {
      reference: field(form, 'reference'),
      reason: field(form, 'reason'),
      reviewBy: field(form, 'reviewBy')
    };
    const r = await actApi(fetch, 'hold', 'PUT', `${recordingPath(params.id)}/legal-hold`, body);
    if (!r.ok) return r.failure;
    return { done: r.status === 201 ? 'Legal hold placed.' : 'Legal hold updated.' };
  },

  /** `DELETE …/legal-hold` with the optional reason for the audit log. */
  release: async ({ params, request, fetch }) => {
    const reason = field(await request.formData(), 'reason');
    const path = `${recordingPath(params.id)}/legal-hold`;
    const r = await actApi(fetch, 'release', 'DELETE', path, reason === '' ? undefined : { reason });
    if (!r.ok) return r.failure;
    return { done: 'Legal hold released.' };
  },

  /** Erasure in two steps: the first only asks to confirm; `confirmed=yes` calls `DELETE /api/recordings/{id}`. */
  erase: async ({ params, request, fetch }) => {
    const form = await request.formData();
    const input = { reason: field(form, 'reason'), reference: field(form, 'reference') };
    if (input.reason === '' || input.reference === '') {
      const detail = 'Give the reason and the reference (case or ticket) for the erasure.';
      return fail(400, { problem: { form: 'erase', status: 400, error: 'bad_request', detail } });
    }
    if (field(form, 'confirmed') !== 'yes') return { eraseConfirm: input };
    const r = await actApi(fetch, 'erase', 'DELETE', recordingPath(params.id), input);
    if (!r.ok) return r.failure;
    return { done: 'Recording erased: its audio and the caller’s details are deleted.' };
  }
};
