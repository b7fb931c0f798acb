// The environment variable naming the seeded demo data folder: set by global-setup.ts before the test
// workers start, read by startServer (harness.ts) in them. Its own module, so that the workers do not load
// the server's code to read one name.
export const DEMO_DATA_TEMPLATE = 'WASEL_E2E_DEMO_DATA';
