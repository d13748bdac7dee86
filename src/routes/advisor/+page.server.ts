import { requireRole } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  const user = requireRole(locals, ['advisor', 'team_leader', 'supervisor']);
  return {
    user: {
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      extension: user.extension
    }
  };
};
