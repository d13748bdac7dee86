/** The body of every /api error response. */
export interface ApiError {
  error: string;
  detail: string;
}

/** A JSON `{error, detail}` Response with `Cache-Control: no-store`. */
export function jsonError(
  status: number,
  error: string,
  detail: string,
  headers: HeadersInit = {}
): Response {
  const body: ApiError = { error, detail };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }
  });
}

/** Reads a JSON object body, or returns undefined when the body is not a JSON object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await request.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
