// `npm run serve`: the backend as configured by the environment, nothing seeded unless WASEL_DEMO=1.
import { runProcess } from './process';

runProcess(process.env).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
