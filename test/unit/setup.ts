// Unit tests run in jsdom with an in-memory IndexedDB (fake-indexeddb), never a real browser.
import 'fake-indexeddb/auto';
