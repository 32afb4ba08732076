/** A small client for Prometheus' HTTP API (/api/v1): instant queries and rule health. */

export interface VectorSample {
  labels: Record<string, string>;
  value: number;
  timestampSeconds: number;
}

export type QueryResult = { status: 'ok'; samples: VectorSample[] } | { status: 'error'; error: string };

export interface RuleGroupHealth {
  group: string;
  rule: string;
  health: string;
  lastError: string;
}

/** Parses an /api/v1/query answer whose result is an instant vector or a scalar (pure). */
export function parseQueryResponse(body: unknown): QueryResult {
  const response = body as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } } | null;
  if (response?.status !== 'success') {
    return { status: 'error', error: typeof response?.error === 'string' ? response.error : `unexpected answer ${JSON.stringify(body)}` };
  }
  const { resultType, result } = response.data ?? {};
  if (resultType === 'scalar' && Array.isArray(result)) {
    return { status: 'ok', samples: [{ labels: {}, timestampSeconds: Number(result[0]), value: Number(result[1]) }] };
  }
  if (resultType !== 'vector' || !Array.isArray(result)) {
    return { status: 'error', error: `expected an instant vector, got resultType ${JSON.stringify(resultType)}` };
  }
  return {
    status: 'ok',
    samples: (result as Array<{ metric: Record<string, string>; value: [number, string] }>).map(({ metric, value }) => ({
      labels: metric,
      timestampSeconds: value[0],
      // Prometheus sends values as strings ("NaN" and "+Inf" included); Number() reads them all.
      value: Number(value[1]),
    })),
  };
}

/** GET /api/v1/query; `atSeconds` is the evaluation time (Unix seconds), now by default. */
export async function queryInstant(baseUrl: string, promql: string, atSeconds?: number): Promise<QueryResult> {
  const url = new URL('/api/v1/query', baseUrl);
  url.searchParams.set('query', promql);
  if (atSeconds !== undefined) url.searchParams.set('time', atSeconds.toFixed(3));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return parseQueryResponse(await response.json());
  } catch (error) {
    return { status: 'error', error: `GET ${url.href}: ${(error as Error).message}` };
  }
}

/** Every loaded rule with its health (`ok`, `err`, `unknown` before its first evaluation). */
export async function ruleHealth(baseUrl: string): Promise<RuleGroupHealth[]> {
  const response = await fetch(new URL('/api/v1/rules', baseUrl), { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as {
    data?: { groups?: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }> };
  };
  return (body.data?.groups ?? []).flatMap((group) =>
    group.rules.map((rule) => ({ group: group.name, rule: rule.name, health: rule.health, lastError: rule.lastError ?? '' })),
  );
}
