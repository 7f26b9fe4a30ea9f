#!/usr/bin/env node
// The `parley-server` command: the bundled team server (npm run build writes out/server).
import '../out/server/cli.js';
