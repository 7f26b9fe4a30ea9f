import { configure } from '@testing-library/svelte';

// Component tests wait on what a person would see (findBy*). Lazily loaded panels appear only once
// their import() has been transformed and evaluated, which on a loaded 2-core machine took longer
// than the library's 1 s default (a stats-panel flake seen in `test:repeat unit 5 --load`). The
// wait still ends the moment the element appears; only the deadline is wider.
configure({ asyncUtilTimeout: 10_000 });
