#!/usr/bin/env node
/** The `wsmachine` executable: runs the CLI and leaves the exit code for the process to end with. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
