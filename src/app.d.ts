// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/session-user';

declare global {
  namespace App {
    interface Error {
      message: string;
      detail?: string;
    }
    interface Locals {
      user: SessionUser | null;
    }
  }
}

export {};
