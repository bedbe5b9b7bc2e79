/** The command table: one line per command. */
import type { Command } from './command';
import { convertCommand } from './convert';
import { infoCommand } from './info';
import { orientCommand } from './orient';
import { anglesCommand } from './angles';
import { romCommand } from './rom';
import { repsCommand } from './reps';
import { analyzeCommand } from './analyze';
import { classifyCommand } from './classify';

export const COMMANDS: readonly Command[] = [infoCommand, convertCommand, orientCommand, anglesCommand, romCommand, repsCommand, analyzeCommand, classifyCommand];
