#!/usr/bin/env node
// The installed CLI runs the compiled collector (npm run build -w collector).
import '../dist/cli.js';
