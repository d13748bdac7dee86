import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { requireApiRole, requireRole } from '../../src/lib/server/auth/guards';
import type { SessionUser } from '../../src/lib/server/auth/session-user';

const tina: SessionUser = {
  id: 2,
  username: 'tina',
  displayName: 'Tina',
  role: 'team_leader',
  team: 'blue',
  extension: null
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('requireRole (pages)', () => {
  it('redirects anonymous visitors to /login with 303', () => {
    const err = thrown(() => requireRole({ user: null }, ['team_leader']));
    expect(isRedirect(err) && err.status === 303 && err.location === '/login').toBe(true);
  });

  it('throws 403 for other roles and returns the user when allowed', () => {
    const err = thrown(() => requireRole({ user: tina }, ['dpo']));
    expect(isHttpError(err, 403)).toBe(true);
    expect(requireRole({ user: tina }, ['team_leader', 'supervisor'])).toBe(tina);
  });
});

describe('requireApiRole (APIs)', () => {
  it('answers 401 and 403 as JSON {error, detail}', async () => {
    const anon = requireApiRole({ user: null }, ['dpo']);
    const wrong = requireApiRole({ user: tina }, ['dpo']);
    if (!(anon instanceof Response) || !(wrong instanceof Response)) throw new Error('expected responses');
    expect([anon.status, wrong.status]).toEqual([401, 403]);
    expect(await anon.json()).toEqual({ error: 'unauthenticated', detail: 'Log in first.' });
    expect((await wrong.json()) as unknown).toMatchObject({ error: 'forbidden' });
    expect(requireApiRole({ user: tina }, ['team_leader'])).toBe(tina);
  });
});
