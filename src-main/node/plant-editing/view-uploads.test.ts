import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../live-source.ts';
import { connectCapturingView } from '../testing/capturing-view.ts';
import { testPlant, unusedBroker } from '../testing/test-plants.ts';
import { maxOpenUploads, maxUploadMs, ModelUploads } from './model-uploads.ts';
import type { PlantEditor } from './plant-editor.ts';
import { withPlantEditor } from './with-plant-editor.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-view-uploads-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('model uploads of views', () => {
  it('are dropped when their view goes, are never another view\'s to touch, and cannot be trickled for hours', async () => {
    let now = 1_000_000;
    const uploads = new ModelUploads({ modelsDirectory: () => join(folder, 'models'), log: () => undefined, clock: () => now });
    const editor = { uploads } as unknown as PlantEditor;
    const plant = testPlant({ name: 'Upload plant', brokers: [unusedBroker], machines: [{ id: 'oven', signals: [{ id: 'temperature', topic: 't/oven' }] }] });
    const problems: string[] = [];
    const connect = () => connectCapturingView(withPlantEditor(new LiveSource({ plant }), editor), (problem) => problems.push(problem));
    let id = 1;
    try {
      const holder = connect();
      const other = connect();
      const held: string[] = [];
      for (let index = 0; index < maxOpenUploads; index++) {
        const reply = await holder.ask(id++, 'uploadModelFile', { step: 'begin', name: 'big.glb', size: 1024 });
        expect(reply.ok).toBe(true);
        held.push((reply.result as { uploadId: string }).uploadId);
      }
      expect(JSON.stringify(await other.ask(id++, 'uploadModelFile', { step: 'begin', name: 'mine.glb', size: 64 }))).toContain('being uploaded already');
      // Another view can neither add to the holder's upload nor cancel it.
      expect(JSON.stringify(await other.ask(id++, 'uploadModelFile', { step: 'chunk', uploadId: held[0]!, offset: 0, data: 'QUJD' }))).toContain('no such upload');
      expect(JSON.stringify(await other.ask(id++, 'uploadModelFile', { step: 'cancel', uploadId: held[0]! }))).toContain('no such upload');
      expect((await holder.ask(id++, 'uploadModelFile', { step: 'chunk', uploadId: held[0]!, offset: 0, data: 'QUJD' })).result).toEqual({ received: 3 });
      // The holder goes: its places are free at once, not a minute later.
      holder.close();
      const begun = await other.ask(id++, 'uploadModelFile', { step: 'begin', name: 'mine.glb', size: 64 });
      expect(begun.ok).toBe(true);
      const mine = (begun.result as { uploadId: string }).uploadId;
      // A chunk every little while keeps an upload alive, but not past the longest an upload may take.
      for (let offset = 0; offset < 6; offset += 3) {
        now += 50_000;
        expect((await other.ask(id++, 'uploadModelFile', { step: 'chunk', uploadId: mine, offset, data: 'QUJD' })).ok).toBe(true);
      }
      now += maxUploadMs;
      expect(JSON.stringify(await other.ask(id++, 'uploadModelFile', { step: 'chunk', uploadId: mine, offset: 6, data: 'QUJD' }))).toContain('took longer than 15 minutes');
      expect(problems).toEqual([]);
    } finally {
      uploads.stop();
    }
  });
});
