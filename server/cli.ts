// `npm run admin -- <command> [options]`: the administration commands of server/admin-cli.ts, on this
// process's arguments and streams; the exit code is 1 when the command failed.
import { runAdmin } from './admin-cli';

process.exitCode = await runAdmin(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  print: (line) => {
    console.log(line);
  },
  printError: (line) => {
    console.error(line);
  },
  prompt: process.stderr,
});
