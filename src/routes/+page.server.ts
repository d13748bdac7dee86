import { redirect } from '@sveltejs/kit';
import { staffAreas } from '$lib/server/staff/staff-areas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  const user = locals.user;
  if (!user) redirect(303, '/login');
  return {
    user: {
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      team: user.team,
      extension: user.extension
    },
    areas: staffAreas(user.role)
  };
};
