/** A variant's answers in words: the lab's checksum and payload digest, a service's status and body digest. */
export interface AnswerWords {
  checksum: string | null;
  payloadDigest: string | null;
  status?: string | null;
  digest?: string | null;
}

const short = (digest: string) => (digest.startsWith('sha256:') ? `${digest.slice(0, 19)}…` : digest);

/** e.g. "checksum 332854108, digest sha256:0b1c2d3e4f5a…" or "status 200, body sha256:9f8e…" (pure). */
export function formatAnswers(answers: AnswerWords, payloadWord = 'digest'): string {
  const status = answers.status ?? null;
  const digest = answers.digest ?? null;
  const parts: string[] = [];
  if (answers.checksum !== null || answers.payloadDigest !== null || (status === null && digest === null)) {
    parts.push(`checksum ${answers.checksum ?? '-'}${answers.payloadDigest ? `, ${payloadWord} ${short(answers.payloadDigest)}` : ''}`);
  }
  if (status !== null) parts.push(`status ${status}`);
  if (digest !== null) parts.push(`body ${short(digest)}`);
  return parts.join(', ');
}
