import { redirect } from '@sveltejs/kit';
import { staffAreas } from '$lib/server/staff/staff-areas';
import type { LayoutServerLoad } from './$types';

/** Staff pages need a login; what each page shows is then decided by the API it calls. */
export const load: LayoutServerLoad = ({ locals }) => {
  const user = locals.user;
  if (!user) redirect(303, '/login');
  return {
    viewer: { username: user.username, displayName: user.displayName, role: user.role, team: user.team },
    areas: staffAreas(user.role)
  };
};
