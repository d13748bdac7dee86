import type { RequestHandler } from '@sveltejs/kit';
import { exportSarBundle } from '$lib/server/services/sar-export';
import { sarHandler } from '$lib/server/services/sar-http';
import { parseSarFilter } from '$lib/server/services/sar-validation';

/** The export bundle (dpo): `?from=&to=` -> 200 application/zip (audio, timelines, access history, manifest). */
export const GET: RequestHandler = ({ locals, params, url }) =>
  sarHandler(locals, params, 'sar.export', async (ctx, id) => {
    const bundle = await exportSarBundle(ctx, id, parseSarFilter(url.searchParams));
    const chunks = bundle.chunks;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      }
    });
    return new Response(body, {
      headers: {
        'content-type': 'application/zip',
        'content-length': String(bundle.size),
        'content-disposition': `attachment; filename="${bundle.fileName}"`,
        'x-manifest-sha256': bundle.manifestSha256,
        'cache-control': 'no-store'
      }
    });
  });
