import { redirect } from '@sveltejs/kit';
import { actApi, field, loadApi } from '$lib/server/staff/staff-api';
import type { SarCaseView } from '$lib/staff/api-types';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['open', 'closed'] as const;

/** `GET /api/sar[?status=]`: the API is the gate (DPO only, other roles' 403 audited there). */
export const load: PageServerLoad = async ({ url, fetch }) => {
  const wanted = url.searchParams.get('status');
  const status = STATUSES.find((s) => s === wanted) ?? null;
  const { cases } = await loadApi<{ cases: Omit<SarCaseView, 'subjects'>[] }>(
    fetch,
    status === null ? '/api/sar' : `/api/sar?status=${status}`
  );
  return { cases, status, today: new Date().toISOString().slice(0, 10) };
};

export const actions: Actions = {
  /** `POST /api/sar`, then the new case's page (which shows its due date). */
  open: async ({ request, fetch }) => {
    const form = await request.formData();
    const body = { reference: field(form, 'reference'), receivedOn: field(form, 'receivedOn') };
    const r = await actApi<SarCaseView>(fetch, 'open', 'POST', '/api/sar', body);
    if (!r.ok) return r.failure;
    redirect(303, `/sar/${r.value.id}`);
  }
};
