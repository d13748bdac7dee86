/**
 * Users CLI: `npm run users -- <command>`. A thin shell over src/lib/server/services/user-admin.ts.
 *
 *   add NAME --role ROLE [--team TEAM] [--extension EXT] [--display-name "X"]   (password: first line of stdin)
 *   list
 *   disable NAME | enable NAME
 *   set NAME [--team T] [--extension E] [--role R] [--display-name "X"]        ('' clears team / extension)
 *   passwd NAME                                                                 (password: first line of stdin)
 *
 * Uses DATA_DIR like the server. Bad input: message on stderr, exit 2, nothing changed.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/lib/server/config';
import { openDataDirDatabase } from '../src/lib/server/db/open-database';
import {
  addUser,
  changePassword,
  listUsers,
  setUserDisabled,
  updateUser,
  UserAdminError,
  type UserAdminContext,
  type UserSummary
} from '../src/lib/server/services/user-admin';
import { readSecretLine } from './users-stdin';

const USAGE = `usage: npm run users -- <command>
  add NAME --role ROLE [--team TEAM] [--extension EXT] [--display-name "X"]   password on stdin
  list
  disable NAME
  enable NAME
  set NAME [--team T] [--extension E] [--role R] [--display-name "X"]
  passwd NAME                                                                 password on stdin
roles: advisor, team_leader, supervisor, dpo, admin`;

class UsageError extends Error {}

function table(users: UserSummary[]): string {
  const header = ['username', 'role', 'team', 'extension', 'disabled'];
  const rows = users.map((u) => [
    u.username,
    u.role,
    u.team ?? '-',
    u.extension ?? '-',
    u.disabled ? 'yes' : 'no'
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()
    )
    .join('\n');
}

function oneName(positionals: string[]): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError('expected exactly one user name');
  return positionals[0];
}

async function run(argv: string[], config: Config): Promise<string | undefined> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      team: { type: 'string' },
      extension: { type: 'string' },
      'display-name': { type: 'string' }
    }
  });
  const db = openDataDirDatabase(config.dataDir);
  try {
    const ctx: UserAdminContext = {
      db,
      now: () => new Date(),
      actor: { id: null, name: `cli:${userInfo().username}`, role: 'system' },
      reservedNumbers: [config.mainLineNumber, ...config.paymentLineTargets]
    };
    switch (command) {
      case 'add': {
        const name = oneName(positionals);
        if (values.role === undefined) throw new UsageError('add needs --role');
        const password = await readSecretLine('Password: ');
        const user = await addUser(ctx, {
          username: name,
          password,
          role: values.role,
          team: values.team,
          extension: values.extension,
          displayName: values['display-name']
        });
        return `added ${user.username} (${user.role})`;
      }
      case 'list':
        if (positionals.length > 0) throw new UsageError('list takes no arguments');
        return table(listUsers(db));
      case 'disable':
      case 'enable': {
        const user = setUserDisabled(ctx, oneName(positionals), command === 'disable');
        return `${command}d ${user.username}`;
      }
      case 'set': {
        const name = oneName(positionals);
        const input = {
          role: values.role,
          team: values.team,
          extension: values.extension,
          displayName: values['display-name']
        };
        if (Object.values(input).every((v) => v === undefined)) {
          throw new UsageError('set needs --team, --extension, --role or --display-name');
        }
        const user = updateUser(ctx, name, input);
        return `updated ${user.username}: ${user.role}, team ${user.team ?? '-'}, extension ${user.extension ?? '-'}`;
      }
      case 'passwd': {
        const name = oneName(positionals);
        await changePassword(ctx, name, await readSecretLine('New password: '));
        return `password changed for ${name}`;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    }
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  try {
    const output = await run(process.argv.slice(2), loadConfig());
    if (output) console.log(output);
  } catch (err) {
    if (err instanceof UserAdminError) {
      console.error(`error: ${err.message}`);
    } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(err as Error).message}\n${USAGE}`);
    } else {
      console.error(err);
      process.exitCode = 1;
      return;
    }
    process.exitCode = 2;
  }
}

await main();
