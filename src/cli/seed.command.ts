import type { Command } from 'commander';

export function seedCommand(_program: Command): void {
  // filled in by the seed module
}
