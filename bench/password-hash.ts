/**
 * Login password hashing cost: the app's scrypt (src/lib/server/auth/password.ts, N=2^15 r=8 p=1, 32-byte key)
 * against PBKDF2-HMAC-SHA256 with 600 000 iterations, the OWASP Password Storage Cheat Sheet figure, measured
 * in the same run on the same machine so the ratio does not depend on the hardware.
 *
 * Goal: one login hash costs 0.5x–4x the OWASP PBKDF2 baseline. Cheaper makes offline guessing of a stolen hash
 * easier than the reference; dearer makes each login slow and lets a burst of logins (or an attacker probing
 * accounts towards the lockout limit) tie up the server's threads.
 */
import { pbkdf2, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hashPassword } from '../src/lib/server/auth/password';
import { figure, median, timeRuns, type Benchmark } from './lib/figure';

const OWASP_PBKDF2_ITERATIONS = 600_000;
const PASSWORD = 'correct horse battery staple';

function pbkdf2Hash(): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(PASSWORD, randomBytes(16), OWASP_PBKDF2_ITERATIONS, 32, 'sha256', (err, key) =>
      err ? reject(err) : resolve(key)
    )
  );
}

/** Hashes per second when `parallel` hashes run at once on libuv's thread pool, over a few rounds. */
async function throughput(fn: () => Promise<unknown>, parallel: number, rounds = 3): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await Promise.all(Array.from({ length: parallel }, fn));
  return (parallel * rounds) / ((performance.now() - start) / 1000);
}

const benchmark: Benchmark = {
  name: 'password-hash',
  async run() {
    const scryptMs = median(await timeRuns(() => hashPassword(PASSWORD)));
    const pbkdf2Ms = median(await timeRuns(pbkdf2Hash, 3, 1000));
    const parallel = availableParallelism();
    const scryptRate = await throughput(() => hashPassword(PASSWORD), parallel);
    const pbkdf2Rate = await throughput(pbkdf2Hash, parallel, 2);
    return [
      figure(
        'login hash time, scrypt N=2^15 r=8 p=1 vs PBKDF2-SHA256 600k',
        scryptMs,
        'ms',
        pbkdf2Ms,
        'ratio 0.5–4 (cost within 0.5x–4x of the OWASP PBKDF2 baseline)',
        (ratio) => ratio >= 0.5 && ratio <= 4
      ),
      figure(
        `login hash throughput, ${parallel} at once`,
        scryptRate,
        'hashes/s',
        pbkdf2Rate,
        'ratio 0.25–2 (the cost band inverted: throughput within 0.25x–2x of the PBKDF2 baseline)',
        (ratio) => ratio >= 0.25 && ratio <= 2
      )
    ];
  }
};

export default benchmark;
