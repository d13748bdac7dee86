import { requireRole } from '$lib/server/auth/guards';
import { LISTENER_ROLES } from '$lib/server/recordings/recording-context';
import { callApi, refusalPage } from '$lib/server/staff/staff-api';
import type { RecordingPage } from '$lib/staff/api-types';
import { apiSearchQuery, NO_SEARCH, readSearchFields } from '$lib/staff/recording-search';
import type { PageServerLoad } from './$types';

/**
 * The search form and, once it was sent, one page of `GET /api/recordings` (audited there as a search).
 * The role gate is the API's own list; a team leader naming another team gets the API's 403 page.
 */
export const load: PageServerLoad = async ({ locals, url, fetch }) => {
  requireRole(locals, LISTENER_ROLES);
  const fields = readSearchFields(url.searchParams);
  if (fields === null) return { fields: NO_SEARCH, search: null };
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const result = await callApi<RecordingPage>(
    fetch,
    'GET',
    `/api/recordings?${apiSearchQuery(fields, cursor)}`
  );
  if (!result.ok && result.status !== 400) refusalPage(result);
  return {
    fields,
    search: {
      /** The API query of this search without a cursor (the "More results" button adds one). */
      apiQuery: apiSearchQuery(fields),
      continued: cursor !== undefined,
      page: result.ok ? result.value : null,
      problem: result.ok ? null : result.detail
    }
  };
};
