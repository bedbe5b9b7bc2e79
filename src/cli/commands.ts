/** The command table: one line per command. */
import type { Command } from './command';
import { convertCommand } from './convert';
import { infoCommand } from './info';
import { orientCommand } from './orient';

export const COMMANDS: readonly Command[] = [infoCommand, convertCommand, orientCommand];
