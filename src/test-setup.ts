// Unit tests run in Node: fake-indexeddb stands in for the browser's IndexedDB.
import 'fake-indexeddb/auto';
