import { json, type RequestHandler } from '@sveltejs/kit';
import { requireApiRole } from '$lib/server/auth/guards';
import { ROLES } from '$lib/server/auth/session-user';
import { getConfig } from '$lib/server/config';
import { jsonError } from '$lib/server/http/json-error';
import { buildPhoneSettings } from '$lib/server/services/phone-settings';

/** SIP registration settings and fresh ephemeral credentials for the logged-in user's extension. */
export const GET: RequestHandler = ({ locals }) => {
  const user = requireApiRole(locals, ROLES);
  if (user instanceof Response) return user;
  const extension = user.extension;
  if (extension === null) return jsonError(403, 'no_extension', 'This account has no phone extension.');
  const settings = buildPhoneSettings({ ...user, extension }, getConfig(), new Date());
  return json(settings, { headers: { 'cache-control': 'no-store' } });
};
