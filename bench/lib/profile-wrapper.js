// Runs a Node server script under --cpu-prof and makes SIGTERM/SIGINT end it with process.exit,
// so that V8 writes the profile (it is only written when the process exits normally).
// Usage: node --cpu-prof --cpu-prof-dir=DIR profile-wrapper.js <script> [args...]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
const [script, ...scriptArgs] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...scriptArgs];
await import(pathToFileURL(resolve(script)).href);
