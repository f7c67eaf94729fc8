#!/usr/bin/env -S node --
import { main } from '../dist/cli/get-settings.js';

main(process.argv);
