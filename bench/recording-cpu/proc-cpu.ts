/**
 * CPU time of a whole Chromium process tree, read from the kernel's own accounting (/proc/<pid>/stat), so that
 * every thread of every process counts (renderer main thread, AudioWorklet render thread, workers, the audio
 * service's device thread, GPU, network) and measuring costs the measured browser nothing. CDP's Performance
 * metrics would see only one page's renderer, and SystemInfo.getProcessInfo runs inside the measured browser.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** What a Chromium process is, from its command line. */
export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'audio' | 'network' | 'storage' | 'other';

/** One process's CPU so far: its own (all threads) and that of its children it has reaped. */
export interface ProcCpu {
  pid: number;
  ppid: number;
  kind: ProcessKind;
  /** utime + stime, seconds. */
  own: number;
  /** cutime + cstime, seconds. */
  reaped: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseStat(stat: string): { ppid: number; own: number; reaped: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  const n = (i: number): number => Number(f[i]);
  return { ppid: n(1), own: (n(11) + n(12)) / TICKS_PER_SECOND, reaped: (n(13) + n(14)) / TICKS_PER_SECOND };
}

/** Classifies a Chromium process by its `--type=` and `--utility-sub-type=` switches. */
export function processKind(cmdline: readonly string[]): ProcessKind {
  const value = (flag: string): string | undefined =>
    cmdline.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const type = value('type');
  if (cmdline[0]?.includes('crashpad')) return 'other';
  if (type === undefined) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type !== 'utility') return 'other';
  const sub = value('utility-sub-type') ?? '';
  if (sub.startsWith('audio.')) return 'audio';
  if (sub.startsWith('network.')) return 'network';
  if (sub.startsWith('storage.')) return 'storage';
  return 'other';
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited meanwhile
  }
}

/** Chromium's child processes rewrite their title, so their arguments are joined by spaces, not NULs. */
function cmdlineOf(pid: number): string[] {
  return (read(`/proc/${pid}/cmdline`) ?? '').split(/[\0 ]/).filter(Boolean);
}

/** Every live process: pid -> ppid and CPU (one pass over /proc). */
function allProcesses(): Map<number, { ppid: number; own: number; reaped: number }> {
  const out = new Map<number, { ppid: number; own: number; reaped: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat !== undefined) out.set(Number(name), parseStat(stat));
  }
  return out;
}

/** The CPU of `root` and all its descendants right now. */
export function treeCpu(root: number): ProcCpu[] {
  const procs = allProcesses();
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === root) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out: ProcCpu[] = [];
  for (const [pid, p] of procs) {
    if (inTree(pid)) out.push({ pid, ...p, kind: processKind(cmdlineOf(pid)) });
  }
  return out;
}

/**
 * CPU seconds per process kind between two snapshots of one tree. A process present in both counts its
 * growth; one born in between counts all of its time; one that exited in between shows up in its parent's
 * `reaped` growth (attributed to the parent's kind).
 */
export function cpuBetween(
  before: readonly ProcCpu[],
  after: readonly ProcCpu[]
): Record<ProcessKind, number> {
  const total: Record<ProcessKind, number> = {
    browser: 0,
    renderer: 0,
    gpu: 0,
    audio: 0,
    network: 0,
    storage: 0,
    other: 0
  };
  const was = new Map(before.map((p) => [p.pid, p]));
  for (const p of after) {
    const b = was.get(p.pid);
    total[p.kind] += p.own + p.reaped - (b ? b.own + b.reaped : 0);
  }
  return total;
}

/**
 * The pid of the Chromium browser process that this Node process launched with `marker` in its command line
 * (e.g. its fake-microphone file), so two browsers launched by one process can be told apart.
 */
export function launchedBrowserPid(marker: string): number {
  const procs = allProcesses();
  for (const [pid, p] of procs) {
    if (p.ppid !== process.pid) continue;
    const cmd = cmdlineOf(pid);
    if (processKind(cmd) === 'browser' && cmd.some((a) => a.includes(marker))) return pid;
  }
  throw new Error(`no Chromium child of pid ${process.pid} has ${marker} in its command line`);
}

/** CPU seconds of every thread of `procs`, keyed `<kind> <pid>/<tid> <thread name>`. */
export function threadCpu(procs: readonly ProcCpu[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of procs) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tids) {
      const stat = read(`/proc/${p.pid}/task/${tid}/stat`);
      if (stat === undefined) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(`${p.kind} ${p.pid}/${tid} ${name}`, parseStat(stat).own);
    }
  }
  return out;
}

/**
 * Where the time went between two thread snapshots: CPU seconds per `<kind> <thread name>` (threads of the
 * same name summed; numbered pool threads keep their own names), largest first.
 */
export function threadsBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  const byName = new Map<string, number>();
  for (const [key, t] of after) {
    const [kind, , ...name] = key.split(' ');
    const k = `${kind} ${name.join(' ')}`;
    byName.set(k, (byName.get(k) ?? 0) + t - (before.get(key) ?? 0));
  }
  return [...byName].sort((a, b) => b[1] - a[1]);
}
