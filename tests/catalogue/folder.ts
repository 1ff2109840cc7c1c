import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shippedCatalogueDir } from '../../gateway/services/catalogue/index.ts';

/** A copy of the shipped catalogue folder in a temporary folder, with helpers to edit its JSON files. */
export interface CatalogueCopy {
  readonly dir: string;
  edit(file: string, change: (json: any) => void): void;
  remove(file: string): void;
  write(file: string, text: string): void;
  read(file: string): any;
}

const copies: string[] = [];

/** Removes every copy made so far (call from afterAll). */
export function removeCatalogueCopies(): void {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function copyCatalogue(): CatalogueCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-catalogue-'));
  copies.push(dir);
  fs.cpSync(shippedCatalogueDir, dir, { recursive: true });
  const at = (file: string) => path.join(dir, file);
  return {
    dir,
    read: (file) => JSON.parse(fs.readFileSync(at(file), 'utf8')),
    edit(file, change) {
      const json = JSON.parse(fs.readFileSync(at(file), 'utf8'));
      change(json);
      fs.writeFileSync(at(file), JSON.stringify(json, null, 2));
    },
    remove: (file) => fs.rmSync(at(file)),
    write: (file, text) => fs.writeFileSync(at(file), text),
  };
}
