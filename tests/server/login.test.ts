import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVALID_CREDENTIALS, login, type LoginDeps } from '../../src/lib/server/auth/login-service';
import { endSession, resolveSession, sessionIdOf } from '../../src/lib/server/auth/session-service';
import { addUser, setUserDisabled } from '../../src/lib/server/services/user-admin';
import { adminContext, fakeClock, tempDb } from './helpers';

const MINUTE = 60_000;

describe('login service', () => {
  let env: ReturnType<typeof tempDb>;
  let clock: ReturnType<typeof fakeClock>;
  let deps: LoginDeps;

  beforeEach(async () => {
    env = tempDb();
    clock = fakeClock();
    deps = {
      db: env.db,
      now: clock.now,
      config: { loginMaxFailures: 3, loginLockoutMinutes: 15, sessionTtlHours: 12 }
    };
    await addUser(adminContext(env.db, clock.now), {
      username: 'alice',
      password: 'alice-password',
      role: 'advisor',
      team: 'blue',
      extension: '1001',
      displayName: 'Alice Adams'
    });
  });
  afterEach(() => env.cleanup());

  const actions = () =>
    (env.db.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[]).map(
      (r) => r.action
    );
  const failures = () =>
    (env.db.prepare("SELECT failed_logins AS n FROM users WHERE username = 'alice'").get() as { n: number })
      .n;

  it('logs in case-insensitively, stores only the token hash, and audits', async () => {
    const result = await login(deps, { username: ' ALICE ', password: 'alice-password' });
    if (!result.ok) throw new Error(result.detail);
    expect(result.user).toEqual({
      id: 1,
      username: 'alice',
      displayName: 'Alice Adams',
      role: 'advisor',
      team: 'blue',
      extension: '1001'
    });
    expect(result.home).toBe('/advisor');
    expect(Buffer.from(result.token, 'base64url')).toHaveLength(32);
    const stored = env.db.prepare('SELECT id, expires_at FROM sessions').all();
    expect(stored).toEqual([{ id: sessionIdOf(result.token), expires_at: '2025-03-01T21:00:00.000Z' }]);
    expect(actions()).toEqual(['user.add', 'login.success']);
  });

  it('gives one message for unknown user, wrong password and disabled user', async () => {
    const unknown = await login(deps, { username: 'mallory', password: 'alice-password' });
    const wrong = await login(deps, { username: 'alice', password: 'wrong-password' });
    setUserDisabled(adminContext(env.db, clock.now), 'alice', true);
    const disabled = await login(deps, { username: 'alice', password: 'alice-password' });
    const expected = { ok: false, error: 'invalid_credentials', detail: INVALID_CREDENTIALS };
    expect([unknown, wrong, disabled]).toEqual([expected, expected, expected]);
    const reasons = env.db
      .prepare("SELECT json_extract(detail, '$.reason') AS r FROM audit_log WHERE action = 'login.failure'")
      .all();
    expect(reasons).toEqual([{ r: 'unknown_user' }, { r: 'wrong_password' }, { r: 'disabled' }]);
  });

  it('locks after N consecutive failures and unlocks after the window', async () => {
    const bad = { username: 'alice', password: 'nope-nope' };
    expect((await login(deps, bad)).ok).toBe(false);
    expect((await login(deps, bad)).ok).toBe(false);
    expect(failures()).toBe(2);
    const third = await login(deps, bad);
    expect(third).toMatchObject({
      error: 'locked',
      detail: 'Too many failed attempts. Try again in 15 minutes.'
    });
    expect(actions()).toContain('login.lockout');

    clock.advance(10 * MINUTE);
    const stillLocked = await login(deps, { username: 'alice', password: 'alice-password' });
    expect(stillLocked).toMatchObject({
      error: 'locked',
      detail: 'Too many failed attempts. Try again in 5 minutes.'
    });

    clock.advance(5 * MINUTE);
    const after = await login(deps, { username: 'alice', password: 'alice-password' });
    expect(after.ok).toBe(true);
  });

  it('resets the failure counter on success', async () => {
    await login(deps, { username: 'alice', password: 'nope-nope' });
    await login(deps, { username: 'alice', password: 'nope-nope' });
    expect((await login(deps, { username: 'alice', password: 'alice-password' })).ok).toBe(true);
    expect(failures()).toBe(0);
    await login(deps, { username: 'alice', password: 'nope-nope' });
    expect(await login(deps, { username: 'alice', password: 'nope-nope' })).toMatchObject({
      error: 'invalid_credentials'
    });
  });

  it('never locks unknown usernames', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await login(deps, { username: 'ghost', password: 'x' })).toMatchObject({
        error: 'invalid_credentials'
      });
    }
  });
});

describe('sessions', () => {
  let env: ReturnType<typeof tempDb>;
  let clock: ReturnType<typeof fakeClock>;
  let token: string;

  beforeEach(async () => {
    env = tempDb();
    clock = fakeClock();
    await addUser(adminContext(env.db, clock.now), {
      username: 'bob',
      password: 'bob-password',
      role: 'dpo'
    });
    const result = await login(
      {
        db: env.db,
        now: clock.now,
        config: { loginMaxFailures: 5, loginLockoutMinutes: 15, sessionTtlHours: 12 }
      },
      { username: 'bob', password: 'bob-password' }
    );
    if (!result.ok) throw new Error('login failed');
    token = result.token;
  });
  afterEach(() => env.cleanup());

  it('resolves until expiry, then deletes the row', () => {
    expect(resolveSession(env.db, token, clock.now())?.username).toBe('bob');
    clock.advance(12 * 3_600_000 - 1);
    expect(resolveSession(env.db, token, clock.now())?.role).toBe('dpo');
    clock.advance(1);
    expect(resolveSession(env.db, token, clock.now())).toBeNull();
    expect(env.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('rejects unknown tokens and disabled users', () => {
    expect(resolveSession(env.db, 'made-up', clock.now())).toBeNull();
    expect(resolveSession(env.db, undefined, clock.now())).toBeNull();
    setUserDisabled(adminContext(env.db, clock.now), 'bob', true);
    expect(resolveSession(env.db, token, clock.now())).toBeNull();
  });

  it('logs out: deletes the session and audits it', () => {
    const user = resolveSession(env.db, token, clock.now());
    expect(endSession(env.db, token, user, clock.now())).toBe(true);
    expect(resolveSession(env.db, token, clock.now())).toBeNull();
    expect(endSession(env.db, token, null, clock.now())).toBe(false);
    const last = env.db.prepare('SELECT action, actor_name FROM audit_log ORDER BY id DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'logout', actor_name: 'bob' });
  });
});
