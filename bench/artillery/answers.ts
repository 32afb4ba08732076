import { loopChecksum } from '../../server/work/checksum.js';
import { applyKnobs, DEFAULT_LIMITS, formatKnobError } from '../../server/work/knobs.js';
import { buildPayload, payloadDigest } from '../../server/work/payload.js';
import type { ScenarioRequest, ScenarioSpec } from '../scenario/spec.js';

/**
 * What each request variant of a scenario must answer, computed with the lab's own pure functions
 * (the same knob rules, loop and payload as the lab). Our generator learns the answers from the
 * responses and compares them across runs; Artillery can only compare a response with a value it
 * is given, so the exported script carries these.
 */
export interface ExpectedAnswers {
  variant: string;
  /** `loop_checksum` as exact decimal digits (it exceeds 2^53); null for paths other than /api/work. */
  checksum: string | null;
  /** `payload_digest` when the variant builds a payload, else null. */
  payloadDigest: string | null;
}

export function expectedAnswers(spec: Pick<ScenarioSpec, 'serverKnobs' | 'requests'>): ExpectedAnswers[] {
  return spec.requests.map((request) => answersFor(spec.serverKnobs, request));
}

function answersFor(serverKnobs: ScenarioSpec['serverKnobs'], request: ScenarioRequest): ExpectedAnswers {
  const [path = '', query = ''] = request.path.split('?', 2);
  if (path !== '/api/work') return { variant: request.name, checksum: null, payloadDigest: null };
  const raw = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(query)) raw.set(name, [...(raw.get(name) ?? []), value]);
  const knobs = applyKnobs(raw, serverKnobs, DEFAULT_LIMITS);
  // The scenario was validated with these very rules when it was loaded.
  if (!knobs.ok) throw new Error(`variant ${request.name}: ${formatKnobError(knobs.error)}`);
  const { loopIterations, payloadItems, payloadItemBytes } = knobs.knobs;
  return {
    variant: request.name,
    checksum: loopChecksum(loopIterations).toString(),
    payloadDigest: payloadItems > 0 ? payloadDigest(JSON.stringify(buildPayload(payloadItems, payloadItemBytes))) : null,
  };
}
