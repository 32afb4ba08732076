import { rename, writeFile } from 'node:fs/promises';

/** Writes `path` through a temporary file and a rename: readers never see half a file. */
export async function writeFileAtomically(path: string, content: string): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
  return path;
}
