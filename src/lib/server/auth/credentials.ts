/** Username and password as typed; validated only for shape and size. */
export interface Credentials {
  username: string;
  password: string;
}

/** Accepts `{username, password}` strings of sane length (from JSON or form data), else undefined. */
export function parseCredentials(body: Record<string, unknown> | undefined): Credentials | undefined {
  const username = body?.username;
  const password = body?.password;
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  if (username.trim() === '' || username.length > 256 || password === '' || password.length > 1024) {
    return undefined;
  }
  return { username, password };
}
