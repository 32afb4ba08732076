/**
 * Segment boundaries inside one counted process. callgrind runs with
 * `--dump-before=<MARKER_FUNCTION>`: every entry into that C++ function writes the instructions
 * counted since the previous dump to a numbered file and starts again from zero. So start-up,
 * imports and warm-up land in one file and the measured operations in another — nothing to
 * subtract between processes. `process.cpuUsage()` is the marker because nothing the tasks do
 * calls it, and its C++ side has a stable symbol in Node's binary.
 */
export const MARKER_FUNCTION = 'node::CPUUsage*';

export function marker(): void {
  process.cpuUsage();
}
