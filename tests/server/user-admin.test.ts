import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addUser,
  changePassword,
  listUsers,
  setUserDisabled,
  updateUser,
  type UserAdminContext
} from '../../src/lib/server/services/user-admin';
import { adminContext, fakeClock, tempDb } from './helpers';

describe('user-admin service', () => {
  let env: ReturnType<typeof tempDb>;
  let ctx: UserAdminContext;

  beforeEach(async () => {
    env = tempDb();
    ctx = adminContext(env.db, fakeClock().now);
    await addUser(ctx, {
      username: 'alice',
      password: 'password-1',
      role: 'advisor',
      team: 'blue',
      extension: '1001'
    });
    await addUser(ctx, { username: 'tom', password: 'password-2', role: 'team_leader', team: 'blue' });
  });
  afterEach(() => env.cleanup());

  const snapshot = () => ({
    users: env.db.prepare('SELECT * FROM users ORDER BY id').all(),
    audit: env.db.prepare('SELECT count(*) AS n FROM audit_log').get()
  });

  it('lists users without hashes', () => {
    const users = listUsers(env.db);
    expect(users).toEqual([
      {
        id: 1,
        username: 'alice',
        displayName: 'alice',
        role: 'advisor',
        team: 'blue',
        extension: '1001',
        disabled: false
      },
      {
        id: 2,
        username: 'tom',
        displayName: 'tom',
        role: 'team_leader',
        team: 'blue',
        extension: null,
        disabled: false
      }
    ]);
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  it.each([
    [
      'duplicate_username',
      () => addUser(ctx, { username: 'ALICE', password: 'password-3', role: 'advisor' })
    ],
    [
      'duplicate_extension',
      () => addUser(ctx, { username: 'bob', password: 'password-3', role: 'advisor', extension: '1001' })
    ],
    ['unknown_role', () => addUser(ctx, { username: 'bob', password: 'password-3', role: 'boss' })],
    [
      'bad_extension',
      () => addUser(ctx, { username: 'bob', password: 'password-3', role: 'advisor', extension: '12ab' })
    ],
    [
      'bad_extension',
      () => addUser(ctx, { username: 'bob', password: 'password-3', role: 'advisor', extension: '5000' })
    ],
    ['bad_password', () => addUser(ctx, { username: 'bob', password: 'short', role: 'advisor' })],
    ['bad_password', () => addUser(ctx, { username: 'bob', password: '          ', role: 'advisor' })],
    ['bad_username', () => addUser(ctx, { username: 'bob smith', password: 'password-3', role: 'advisor' })],
    ['unknown_user', async () => setUserDisabled(ctx, 'nobody', true)],
    ['unknown_user', async () => updateUser(ctx, 'nobody', { team: 'red' })],
    ['duplicate_extension', async () => updateUser(ctx, 'tom', { extension: '1001', team: 'red' })],
    ['unknown_role', async () => updateUser(ctx, 'tom', { role: 'root', team: 'red' })],
    ['unknown_user', () => changePassword(ctx, 'nobody', 'password-9')],
    ['bad_password', () => changePassword(ctx, 'alice', '')]
  ])('refuses with %s and changes nothing', async (code, act) => {
    const before = snapshot();
    await expect(act()).rejects.toMatchObject({ name: 'UserAdminError', code });
    expect(snapshot()).toEqual(before);
  });

  it('updates, clears and keeps an extension on its owner', () => {
    expect(updateUser(ctx, 'alice', { extension: '1001' }).extension).toBe('1001');
    const tom = updateUser(ctx, 'tom', {
      team: '',
      extension: '1002',
      role: 'supervisor',
      displayName: 'Tom T'
    });
    expect(tom).toMatchObject({ team: null, extension: '1002', role: 'supervisor', displayName: 'Tom T' });
    expect(listUsers(env.db)[1]).toMatchObject({ team: null, extension: '1002', role: 'supervisor' });
  });

  it('disables, enables and audits every change', async () => {
    setUserDisabled(ctx, 'alice', true);
    expect(listUsers(env.db)[0]?.disabled).toBe(true);
    setUserDisabled(ctx, 'alice', false);
    await changePassword(ctx, 'alice', 'password-new');
    const actions = env.db.prepare('SELECT action, target, actor_name FROM audit_log ORDER BY id').all();
    expect(actions).toEqual([
      { action: 'user.add', target: 'alice', actor_name: 'test' },
      { action: 'user.add', target: 'tom', actor_name: 'test' },
      { action: 'user.disable', target: 'alice', actor_name: 'test' },
      { action: 'user.enable', target: 'alice', actor_name: 'test' },
      { action: 'user.passwd', target: 'alice', actor_name: 'test' }
    ]);
  });
});
