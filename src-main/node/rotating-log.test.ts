import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RotatingLog } from './rotating-log.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-log-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const fixedClock = () => new Date('2026-11-25T06:04:51.123Z');

describe('RotatingLog', () => {
  it('appends time-stamped lines, creating its folder, and keeps what an earlier run wrote', () => {
    const file = join(folder, 'first', 'logs', 'host.log');
    const log = new RotatingLog({ file, clock: fixedClock });
    log.write('host started');
    log.close();
    const again = new RotatingLog({ file, clock: fixedClock });
    again.write('host started again');
    again.close();
    expect(readFileSync(file, 'utf8')).toBe('2026-11-25T06:04:51.123Z host started\n2026-11-25T06:04:51.123Z host started again\n');
  });

  it('rotates before a file passes its cap and keeps only the newest old files, in order', () => {
    const file = join(folder, 'rotating', 'shell.log');
    const log = new RotatingLog({ file, maxFileBytes: 1024, keepFiles: 2, clock: fixedClock });
    for (let index = 0; index < 200; index++) log.write(`line ${String(index).padStart(3, '0')} ${'x'.repeat(40)}`);
    log.close();
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    const numbers = (path: string) => [...readFileSync(path, 'utf8').matchAll(/line (\d{3})/g)].map((match) => Number(match[1]));
    for (const path of [file, `${file}.1`, `${file}.2`]) expect(statSync(path).size).toBeLessThanOrEqual(1024);
    // Oldest to newest across the kept files: consecutive, ending with the last line written.
    const kept = [...numbers(`${file}.2`), ...numbers(`${file}.1`), ...numbers(file)];
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual(kept.map((_, index) => kept[0]! + index));
    expect(kept.length).toBeGreaterThan(30);
  });

  it('cuts runaway lines and indents line breaks, so logged text cannot forge a line of its own', () => {
    const file = join(folder, 'bounded', 'host.log');
    const log = new RotatingLog({ file, maxLineChars: 100, clock: fixedClock });
    log.write(`unknown topic plant/x\n2026-11-25T00:00:00.000Z forged line\u0007`);
    log.write('y'.repeat(1000));
    log.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('2026-11-25T06:04:51.123Z unknown topic plant/x');
    expect(lines[1]).toBe('    2026-11-25T00:00:00.000Z forged line\ufffd');
    expect(lines[2]).toBe(`2026-11-25T06:04:51.123Z ${'y'.repeat(100)} … (900 more characters cut)`);
  });

  it('never throws into its caller: a failed write is reported once, and writing resumes when it can', () => {
    const parent = join(folder, 'blocked');
    // A file where the log's folder should be: every open fails (even for root, unlike permissions).
    writeFileSync(parent, 'not a folder');
    const reports: string[] = [];
    const file = join(parent, 'host.log');
    const log = new RotatingLog({ file, clock: fixedClock, reportFailure: (message) => reports.push(message) });
    expect(() => {
      log.write('one');
      log.write('two');
      log.write('three');
    }).not.toThrow();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(`cannot write its log ${file}`);
    rmSync(parent);
    mkdirSync(parent);
    log.write('four');
    log.close();
    expect(readFileSync(file, 'utf8')).toBe('2026-11-25T06:04:51.123Z four\n');
    expect(reports).toHaveLength(1);
  });
});
