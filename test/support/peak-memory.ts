/**
 * This process's peak resident memory in bytes. On Linux it is VmHWM from /proc/self/status, which
 * belongs to the process's own address space; `process.resourceUsage().maxRSS` is not usable there for a
 * spawned child: Linux carries a parent's maxrss across fork and exec, so a child of a 460 MiB test
 * runner reported 462 MiB at start (and a growth below the parent's peak went unseen). Elsewhere it
 * falls back to maxRSS.
 */
import { readFileSync } from 'node:fs';

export function peakResidentBytes(): number {
  try {
    const kilobytes = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kilobytes) return Number(kilobytes[1]) * 1024;
  } catch {
    // No /proc: not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}
