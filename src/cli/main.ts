// quorumkit CLI entry point. It checks the Node version before importing anything: the program
// needs Node ≥ 22.13 (node:sqlite, used by the governance node), and an older Node would otherwise
// crash with a stack trace while loading it. This file must stay parseable and runnable by any
// Node that runs ES modules, so it imports nothing statically. Exit code 2 on a too-old Node.

/** The oldest Node the CLI runs on (package.json "engines"). */
const MIN_NODE: readonly [number, number] = [22, 13];

function nodeTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

export {}; // a module: top-level await below

if (nodeTooOld(process.versions.node)) {
  process.stderr.write(
    `quorumkit: needs Node.js ≥ ${MIN_NODE.join('.')}, this is ${process.versions.node}; in a quorumkit checkout run \`npm run qk -- <command>\` (the pinned Node 24), or install Node ${MIN_NODE.join('.')}+\n`,
  );
  process.exitCode = 2;
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(process.argv);
}
