import { actApi, field, loadApi } from '$lib/server/staff/staff-api';
import type { SarCaseView, SarRecordingPage } from '$lib/staff/api-types';
import type { Actions, PageServerLoad } from './$types';

const casePath = (id: string) => `/api/sar/${encodeURIComponent(id)}`;
const items = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The case (`GET /api/sar/{id}`) and its matching recordings (`…/recordings`, audited there as a search). */
export const load: PageServerLoad = async ({ params, url, fetch }) => {
  const cursor = url.searchParams.get('cursor');
  const query = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
  const [sar, recordings] = await Promise.all([
    loadApi<SarCaseView>(fetch, casePath(params.id)),
    loadApi<SarRecordingPage>(fetch, `${casePath(params.id)}/recordings${query}`)
  ]);
  return { sar, recordings, today: new Date().toISOString().slice(0, 10) };
};

export const actions: Actions = {
  subjects: async ({ params, request, fetch }) => {
    const form = await request.formData();
    const body = {
      phones: items(field(form, 'phones'), /[\n,;]/),
      advisors: items(field(form, 'advisors'), /[\s,;]/)
    };
    const r = await actApi(fetch, 'subjects', 'POST', `${casePath(params.id)}/subjects`, body);
    return r.ok ? { done: 'Attached.' } : r.failure;
  },
  extend: async ({ params, request, fetch }) => {
    const form = await request.formData();
    const body = { months: Number(field(form, 'months')), reason: field(form, 'reason') };
    const r = await actApi(fetch, 'extend', 'POST', `${casePath(params.id)}/extend`, body);
    return r.ok ? { done: 'Time limit extended.' } : r.failure;
  },
  close: async ({ params, request, fetch }) => {
    const note = field(await request.formData(), 'note');
    const r = await actApi(
      fetch,
      'close',
      'POST',
      `${casePath(params.id)}/close`,
      note === '' ? {} : { note }
    );
    return r.ok ? { done: 'Case closed.' } : r.failure;
  }
};
