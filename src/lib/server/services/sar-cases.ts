import { effectiveDueDate, extendSarDeadline, sarDueDate, utcDate } from '../../domain/sar-deadline';
import { appendAudit, type AuditActor } from '../audit/append-audit';
import type { Db } from '../db/open-database';
import { findUserByUsername } from '../repositories/user-repository';
import {
  closeSarCaseRow,
  findSarCase,
  findSarCaseByReference,
  insertSarCase,
  insertSarSubject,
  listSarCases,
  listSarSubjects,
  setSarExtension,
  type SarCaseRecord
} from '../repositories/sar-repository';
import { SarError, type ExtendSarInput, type OpenSarInput, type SarSubjectsInput } from './sar-validation';

/** Side effects of the SAR services. */
export interface SarContext {
  db: Db;
  now: () => Date;
  /** The DPO acting (written to the audit log). */
  actor: AuditActor;
}

/** A case as the DPO sees it. */
export interface SarCaseView {
  id: number;
  reference: string;
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  /** The deadline in force: the extended one when there is one. */
  effectiveDueOn: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  closeNote: string | null;
  subjects: { kind: 'phone' | 'advisor'; value: string }[];
}

function summary(c: SarCaseRecord): Omit<SarCaseView, 'subjects'> {
  return {
    id: c.id,
    reference: c.reference,
    receivedOn: c.receivedOn,
    dueOn: c.dueOn,
    extendedDueOn: c.extendedDueOn,
    extensionReason: c.extensionReason,
    effectiveDueOn: effectiveDueDate(c),
    status: c.status,
    openedAt: c.openedAt,
    closedAt: c.closedAt,
    closeNote: c.closeNote
  };
}

function view(db: Db, c: SarCaseRecord): SarCaseView {
  return {
    ...summary(c),
    subjects: listSarSubjects(db, c.id).map(({ kind, value }) => ({ kind, value }))
  };
}

/** @throws SarError not_found */
export function mustFindCase(db: Db, id: number): SarCaseRecord {
  const c = findSarCase(db, id);
  if (!c) throw new SarError('not_found', 'No such case.');
  return c;
}

function mustBeOpen(c: SarCaseRecord): void {
  if (c.status !== 'open') throw new SarError('case_closed', `Case ${c.reference} is closed.`);
}

/** The audit target of a case. */
export function sarTarget(c: { id: number }): string {
  return `sar:${c.id}`;
}

/**
 * Opens a case; the due date is one calendar month after the day of receipt.
 * @throws SarError duplicate_reference
 */
export function openSarCase(ctx: SarContext, input: OpenSarInput): SarCaseView {
  const { db } = ctx;
  const now = ctx.now();
  return db
    .transaction(() => {
      if (findSarCaseByReference(db, input.reference)) {
        throw new SarError('duplicate_reference', `A case with reference ${input.reference} exists.`);
      }
      const dueOn = sarDueDate(input.receivedOn);
      const id = insertSarCase(db, {
        reference: input.reference,
        receivedOn: input.receivedOn,
        dueOn,
        openedBy: ctx.actor.id,
        openedAt: now.toISOString()
      });
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'sar.open',
          target: sarTarget({ id }),
          purpose: 'subject-access',
          result: 'ok',
          detail: { reference: input.reference, receivedOn: input.receivedOn, dueOn }
        },
        now
      );
      return view(db, mustFindCase(db, id));
    })
    .immediate();
}

/** One case with its subjects. @throws SarError not_found */
export function getSarCase(ctx: SarContext, id: number): SarCaseView {
  return view(ctx.db, mustFindCase(ctx.db, id));
}

/** Every case, newest received first, without subjects (the list shows no personal data). */
export function listSarCaseViews(
  ctx: SarContext,
  status?: 'open' | 'closed'
): Omit<SarCaseView, 'subjects'>[] {
  return listSarCases(ctx.db, status).map(summary);
}

/**
 * Extends the time limit to 1 or 2 months beyond the first month (ICO: complex requests), with a reason.
 * @throws SarError not_found, case_closed, too_late (the limit in force already passed), not_later
 */
export function extendSarCase(ctx: SarContext, id: number, input: ExtendSarInput): SarCaseView {
  const { db } = ctx;
  const now = ctx.now();
  return db
    .transaction(() => {
      const c = mustFindCase(db, id);
      mustBeOpen(c);
      const outcome = extendSarDeadline(c, input.months, input.reason, utcDate(now));
      if (!outcome.ok) {
        throw new SarError(
          outcome.error === 'bad_months' || outcome.error === 'reason_required'
            ? 'bad_request'
            : outcome.error,
          outcome.detail
        );
      }
      setSarExtension(db, id, outcome.extendedDueOn, input.reason);
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'sar.extend',
          target: sarTarget(c),
          purpose: 'subject-access',
          result: 'ok',
          detail: {
            reference: c.reference,
            months: input.months,
            reason: input.reason,
            from: effectiveDueDate(c),
            to: outcome.extendedDueOn
          }
        },
        now
      );
      return view(db, mustFindCase(db, id));
    })
    .immediate();
}

/**
 * Attaches phone numbers and advisors (by username) to an open case; already attached ones are ignored.
 * @throws SarError not_found, case_closed, unknown_advisor (nothing attached)
 */
export function addSarSubjects(ctx: SarContext, id: number, input: SarSubjectsInput): SarCaseView {
  const { db } = ctx;
  const now = ctx.now();
  return db
    .transaction(() => {
      const c = mustFindCase(db, id);
      mustBeOpen(c);
      const advisors = input.advisors.map((name) => {
        const user = findUserByUsername(db, name);
        if (!user) throw new SarError('unknown_advisor', `No user ${name}.`);
        return user;
      });
      const addedAt = now.toISOString();
      const added = { phones: 0, advisors: 0 };
      for (const phone of input.phones) {
        if (insertSarSubject(db, id, { kind: 'phone', value: phone, userId: null, addedAt })) added.phones++;
      }
      for (const user of advisors) {
        const subject = { kind: 'advisor' as const, value: user.username, userId: user.id, addedAt };
        if (insertSarSubject(db, id, subject)) added.advisors++;
      }
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'sar.subjects',
          target: sarTarget(c),
          purpose: 'subject-access',
          result: 'ok',
          // Counts only: the numbers themselves are personal data and stay in sar_subjects.
          detail: { reference: c.reference, ...added }
        },
        now
      );
      return view(db, mustFindCase(db, id));
    })
    .immediate();
}

/**
 * Closes a case. From then on its recordings are no longer kept from the retention sweep.
 * @throws SarError not_found, case_closed
 */
export function closeSarCase(ctx: SarContext, id: number, note: string | null): SarCaseView {
  const { db } = ctx;
  const now = ctx.now();
  return db
    .transaction(() => {
      const c = mustFindCase(db, id);
      mustBeOpen(c);
      closeSarCaseRow(db, id, now.toISOString(), note);
      appendAudit(
        db,
        {
          actor: ctx.actor,
          action: 'sar.close',
          target: sarTarget(c),
          purpose: 'subject-access',
          result: 'ok',
          detail: { reference: c.reference, note, dueOn: effectiveDueDate(c), closedOn: utcDate(now) }
        },
        now
      );
      return view(db, mustFindCase(db, id));
    })
    .immediate();
}
